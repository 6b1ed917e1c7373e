import { caseTable } from '#adapters/wiring/case-table';
import { objectStore } from '#adapters/wiring/object-store';
import { queues } from '#adapters/wiring/queues';
import { customerCaseRoutes } from '#events/customer-case-api';
import { eraseCustomer } from '#use-cases/erase-customer';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.eraseCustomerData,
  [caseTable, queues, objectStore],
  async (request, deps) => ({
    body: await eraseCustomer(request.path.caseId, request.caseToken, deps),
  }),
);
