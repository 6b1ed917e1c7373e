import { contactRegistry } from '#adapters/wiring/contact-registry';
import { customerDirectory } from '#adapters/wiring/customer-directory';
import { keyring } from '#adapters/wiring/keyring';
import { queues } from '#adapters/wiring/queues';
import { customerRoutesForStaff } from '#events/agent-customers';
import { setCustomerTier } from '#use-cases/set-customer-tier';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerRoutesForStaff.setCustomerTier,
  [contactRegistry, customerDirectory, keyring, queues],
  async (request, deps) => ({
    body: await setCustomerTier(request.body, request.staff, deps),
  }),
);
