import { caseTable } from '#adapters/wiring/case-table';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { customerCaseRoutes } from '#events/customer-case-api';
import { addCustomerMessage } from '#use-cases/add-customer-message';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.addMessage,
  [caseTable, rateLimits],
  async (request, deps) => ({
    body: await addCustomerMessage(request.path.caseId, request.caseToken, request.body, deps),
  }),
);
