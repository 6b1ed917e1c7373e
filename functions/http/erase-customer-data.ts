import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { objectStore } from '#adapters/wiring/object-store';
import { queues } from '#adapters/wiring/queues';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { retentionStore } from '#adapters/wiring/retention-store';
import { customerCaseRoutes } from '#events/customer-case-api';
import { eraseCustomer } from '#use-cases/erase-customer';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.eraseCustomerData,
  [caseTable, contactRegistry, rateLimits, retentionStore, attachmentRecords, queues, objectStore],
  async (request, deps) => ({
    body: await eraseCustomer(request.path.caseId, request.caseToken, deps),
  }),
);
