import { caseIdPathSchema, customerMessageRequestSchema } from '#events/customer-api';
import { addCustomerMessage } from '#use-cases/add-customer-message';
import { caseTokenOf, caseTokenQuerySchema } from '../middleware/case-token.ts';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  { path: caseIdPathSchema, query: caseTokenQuerySchema, body: customerMessageRequestSchema },
  async (request, deps) => ({
    status: 201,
    body: await addCustomerMessage(request.path.caseId, caseTokenOf(request), request.body, deps),
  }),
);
