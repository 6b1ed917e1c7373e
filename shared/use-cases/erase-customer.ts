// The customer's erasure request (PIPL Art. 47, API.md "Customer"): every case of that customer, found by
// the keyed hashes of their email and phone, is anonymised at once; open ones are first withdrawn. The
// last confirmation is decided with the case the request came through, from its contact details as they
// were, and the outbox item carries the address until it is sent (then it is removed, and the item expires).
import { customerNotifications } from '#domain/case/notifications';
import { withdrawableStatuses, withdrawCase } from '#domain/retention';
import type { SupportCase } from '#domain/support-case';
import { requireWithinLimits } from './abuse-limits.ts';
import { changeCase } from './change-case.ts';
import { openCaseAsCustomer } from './customer-access.ts';
import type { Dependencies } from './ports.ts';
import { anonymiseStoredCase } from './run-retention.ts';

/** Every case id sharing a contact hash with this case, the case itself included, oldest first. */
export async function casesOfSameCustomer(supportCase: SupportCase, deps: Dependencies): Promise<string[]> {
  const refs =
    supportCase.contactHashes.length > 0
      ? await deps.contacts.findCasesByContact(supportCase.contactHashes, '')
      : [];
  const byAge = [...refs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((ref) => ref.caseId);
  return [...new Set([...byAge, supportCase.caseId])];
}

/** Privacy requests (erasure, export) count against the case's daily limit under a scope of their own. */
export const privacyRequestScope = (caseId: string) => `${caseId}#privacy`;

export async function eraseCustomer(
  caseId: string,
  token: string | undefined,
  deps: Dependencies,
): Promise<{ erasedCases: number }> {
  const opened = await openCaseAsCustomer(caseId, token, deps);
  await requireWithinLimits(deps, deps.clock.now(), [
    { limit: 'case_messages_per_day', scope: privacyRequestScope(caseId) },
  ]);
  const caseIds = await casesOfSameCustomer(opened, deps);
  // The case the request came through goes last: until it is done its token still works, so a request
  // that failed half-way can simply be sent again.
  const others = caseIds.filter((id) => id !== caseId);
  for (const otherId of others) await eraseCase(otherId, deps);
  await eraseCase(caseId, deps, (original, at) =>
    customerNotifications(original, 'erasure_confirmation', 'erasure', { erasedCases: caseIds.length }, at),
  );
  return { erasedCases: caseIds.length };
}

async function eraseCase(
  caseId: string,
  deps: Dependencies,
  lastWords?: Parameters<typeof anonymiseStoredCase>[3],
): Promise<void> {
  const supportCase = await deps.cases.getCase(caseId);
  if (!supportCase || supportCase.anonymisedAt) return;
  if (withdrawableStatuses.includes(supportCase.status)) {
    await changeCase(caseId, deps, (loaded, at) => withdrawCase(loaded, at), { loaded: supportCase });
  }
  await anonymiseStoredCase(caseId, 'erasure', deps, lastWords);
}
