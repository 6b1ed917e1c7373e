import { appealRequestSchema, caseIdPathSchema } from '#events/customer-api';
import { appealCase } from '#use-cases/appeal-case';
import { caseTokenOf, caseTokenQuerySchema } from '../middleware/case-token.ts';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  { path: caseIdPathSchema, query: caseTokenQuerySchema, body: appealRequestSchema },
  async (request, deps) => ({
    status: 201,
    body: await appealCase(request.path.caseId, caseTokenOf(request), request.body, deps),
  }),
);
