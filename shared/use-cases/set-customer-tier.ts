// A manager sets a customer's tier (DOMAIN.md §3): the directory holds it under the keyed hash of each
// contact given, later cases of that customer are registered with it, and every case in the customer's
// contact index is handed to the slaWork queue to be re-prioritised (apply-customer-tier.ts). The request
// does only key reads and queue sends, so a customer with thousands of cases costs it one message per
// case; the per-case work (load, route, retarget clocks, save) runs in the queue's consumer, retried and
// in parallel, and decides on the directory's tier at that moment, so a message handled twice or late
// changes nothing.
import type { CustomerTier } from '#domain/case-model';
import { ValidationFailed } from '#domain/errors';
import { requireMobileNumber } from '#domain/phone-numbers';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import type { Dependencies } from './ports.ts';

/** Since the beginning of the contact index: an open case may be old (an appeal comes up to a year later). */
const wholeIndex = '';

export async function setCustomerTier(
  request: { email?: string; phone?: string; tier: CustomerTier },
  staff: StaffMember,
  deps: Dependencies,
): Promise<{ tier: CustomerTier; casesQueued: number }> {
  assertMayDo(staff, 'set_customer_tier');
  const phone = request.phone ? requireMobileNumber(request.phone, 'phone') : undefined;
  const contacts = [request.email, phone].filter((contact): contact is string => Boolean(contact));
  if (contacts.length === 0) {
    throw new ValidationFailed('Request body is invalid', [
      { path: 'email', message: 'Give an email or a phone' },
    ]);
  }
  const contactHashes = contacts.map((contact) => deps.keyring.hashContact(contact));
  const at = deps.clock.now().toISOString();
  await deps.customers.setTier(contactHashes, { tier: request.tier, by: staff.sub, at });
  const refs = await deps.contacts.findCasesByContact(contactHashes, wholeIndex);
  const caseIds = [...new Set(refs.map((ref) => ref.caseId))];
  // A lost send leaves the tier set and the answer a 500: the same PUT again queues every case again.
  await deps.queues.slaWork.send(caseIds.map((caseId) => ({ caseId, retier: true })));
  deps.logger.info('Customer tier set', { tier: request.tier, by: staff.sub, casesQueued: caseIds.length });
  return { tier: request.tier, casesQueued: caseIds.length };
}
