import { caseTable } from '#adapters/wiring/case-table';
import { customerRoutes } from '#events/customer-api';
import { exportCustomer } from '#use-cases/export-customer';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerRoutes.exportCustomerData, [caseTable], async (request, deps) => ({
  body: await exportCustomer(request.path.caseId, request.caseToken, deps),
}));
