import { caseTable } from '#adapters/wiring/case-table';
import { customerRoutes } from '#events/customer-api';
import { addCustomerMessage } from '#use-cases/add-customer-message';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerRoutes.addMessage, [caseTable], async (request, deps) => ({
  body: await addCustomerMessage(request.path.caseId, request.caseToken, request.body, deps),
}));
