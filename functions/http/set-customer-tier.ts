import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { queues } from '#adapters/wiring/queues';
import { customerRoutesForStaff } from '#events/agent-customers';
import { setCustomerTier } from '#use-cases/set-customer-tier';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerRoutesForStaff.setCustomerTier,
  [caseTable, keyring, queues],
  async (request, deps) => ({
    body: await setCustomerTier(request.body, request.staff, deps),
  }),
);
