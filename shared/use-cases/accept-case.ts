// Intake: a received case is classified, routed, linked to an open duplicate, its clocks started,
// and its acknowledgement put in the outbox — all in one transaction, exactly once.
import { applyDeliveryCheck } from '#domain/case-lifecycle';
import { acceptReceivedCase, type DuplicateCandidate, findDuplicateOf } from '#domain/support-case';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

const duplicateWindowMs = 7 * 86_400_000;

export async function acceptCase(
  caseId: string,
  deps: Dependencies,
): Promise<'accepted' | 'already_accepted' | 'unknown'> {
  const received = await deps.cases.getCase(caseId);
  if (!received) {
    deps.logger.warn('Intake for an unknown case', { caseId });
    return 'unknown';
  }
  if (received.status !== 'received') return 'already_accepted';

  const duplicateOf = await findOpenDuplicate(received, deps);
  const sla = { calendar: deps.calendar, policy: deps.slaPolicy };
  // The one unit of work: a lost race reloads, finds the case no longer `received`, and does nothing.
  const { decision } = await changeCase(caseId, deps, (supportCase, now) => {
    const accepted = acceptReceivedCase(supportCase, { now, sla, duplicateOf });
    if (!accepted) return { supportCase, timeline: [], notifications: [] };
    // A delay report is judged against the delivery commitment before the acknowledgement states deadlines.
    return applyDeliveryCheck(accepted, { now, sla });
  });
  return decision.timeline.length > 0 ? 'accepted' : 'already_accepted';
}

async function findOpenDuplicate(
  supportCase: Parameters<typeof findDuplicateOf>[0] & { contactHashes: string[] },
  deps: Dependencies,
): Promise<DuplicateCandidate | null> {
  if (!supportCase.trackingNumber || supportCase.contactHashes.length === 0) return null;
  const since = new Date(new Date(supportCase.createdAt).getTime() - duplicateWindowMs).toISOString();
  const refs = await deps.contacts.findCasesByContact(supportCase.contactHashes, since);
  const sameWaybill = refs.filter(
    (ref) =>
      ref.caseId !== supportCase.caseId &&
      ref.trackingNumber?.toUpperCase() === supportCase.trackingNumber?.toUpperCase(),
  );
  if (sameWaybill.length === 0) return null;
  const candidates = await deps.cases.getCases(sameWaybill.map((ref) => ref.caseId));
  return findDuplicateOf(supportCase, candidates);
}
