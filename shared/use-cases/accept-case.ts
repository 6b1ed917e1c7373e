// Intake: a received case is classified, routed, linked to an open duplicate, its clocks started,
// and its acknowledgement put in the outbox — all in one transaction, exactly once.
import { applyDeliveryCheck } from '#domain/case-lifecycle';
import { reportIncrements } from '#domain/case-report';
import {
  acceptReceivedCase,
  caseDayOf,
  type DuplicateCandidate,
  findDuplicateOf,
} from '#domain/support-case';
import type { Dependencies } from './ports.ts';
import { ConcurrentModification } from './ports.ts';
import { queueNotifications } from './queue-notifications.ts';

const duplicateWindowMs = 7 * 86_400_000;

export async function acceptCase(
  caseId: string,
  deps: Dependencies,
): Promise<'accepted' | 'already_accepted' | 'unknown'> {
  const supportCase = await deps.repository.getCase(caseId);
  if (!supportCase) {
    deps.logger.warn('Intake for an unknown case', { caseId });
    return 'unknown';
  }
  if (supportCase.status !== 'received') return 'already_accepted';

  const duplicateOf = await findOpenDuplicate(supportCase, deps);
  const now = deps.clock.now();
  const sla = { calendar: deps.calendar, policy: deps.slaPolicy };
  const accepted = acceptReceivedCase(supportCase, { now, sla, duplicateOf });
  if (!accepted) return 'already_accepted';
  // A delay report is judged against the delivery commitment before the acknowledgement states deadlines.
  const decision = applyDeliveryCheck(accepted, { now, sla });
  try {
    await deps.repository.saveCase(decision.supportCase, {
      timeline: decision.timeline,
      notifications: decision.notifications,
      reportCounters: {
        day: caseDayOf(now),
        increments: reportIncrements(supportCase, decision.supportCase),
      },
    });
  } catch (error) {
    if (error instanceof ConcurrentModification) {
      const current = await deps.repository.getCase(caseId);
      if (current && current.status !== 'received') return 'already_accepted';
    }
    throw error;
  }
  await queueNotifications(decision.notifications, deps);
  return 'accepted';
}

async function findOpenDuplicate(
  supportCase: Parameters<typeof findDuplicateOf>[0] & { contactHashes: string[] },
  deps: Dependencies,
): Promise<DuplicateCandidate | null> {
  if (!supportCase.trackingNumber || supportCase.contactHashes.length === 0) return null;
  const since = new Date(new Date(supportCase.createdAt).getTime() - duplicateWindowMs).toISOString();
  const refs = await deps.repository.findCasesByContact(supportCase.contactHashes, since);
  const sameWaybill = refs.filter(
    (ref) =>
      ref.caseId !== supportCase.caseId &&
      ref.trackingNumber?.toUpperCase() === supportCase.trackingNumber?.toUpperCase(),
  );
  if (sameWaybill.length === 0) return null;
  const candidates = await deps.repository.getCases(sameWaybill.map((ref) => ref.caseId));
  return findDuplicateOf(supportCase, candidates);
}
