import { caseIdPathSchema, feedbackRequestSchema } from '#events/customer-api';
import { giveFeedback } from '#use-cases/give-feedback';
import { caseTokenOf, caseTokenQuerySchema } from '../middleware/case-token.ts';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  { path: caseIdPathSchema, query: caseTokenQuerySchema, body: feedbackRequestSchema },
  async (request, deps) => ({
    status: 201,
    body: await giveFeedback(request.path.caseId, caseTokenOf(request), request.body, deps),
  }),
);
