import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { customerCaseRoutes } from '#events/customer-case-api';
import { exportCustomer } from '#use-cases/export-customer';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.exportCustomerData,
  [caseTable, contactRegistry, rateLimits],
  async (request, deps) => ({
    body: await exportCustomer(request.path.caseId, request.caseToken, deps),
  }),
);
