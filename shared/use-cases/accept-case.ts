// Intake: a received case is classified, routed, linked to an open duplicate, its clocks started,
// and its acknowledgement put in the outbox — all in one transaction, exactly once.
import { unchanged } from '#domain/case/case-decision';
import {
  acceptReceivedCase,
  type DuplicateCandidate,
  duplicateWindowStart,
  findDuplicateOf,
  isSameWaybill,
} from '#domain/case/intake';
import type { SupportCase } from '#domain/support-case';
import { changeCase } from './change-case.ts';
import { incidentOfNewCase } from './incident-at-intake.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

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

  const { policy, sla } = await policyInForce(deps);
  const duplicateOf = await findOpenDuplicate(received, policy.windows.duplicateDays, deps);
  const incident = await incidentOfNewCase(received, deps);
  // The one unit of work, on the case loaded above: a lost race reloads, finds the case no longer
  // `received`, and does nothing.
  const { decision } = await changeCase(
    caseId,
    deps,
    (supportCase, now) =>
      acceptReceivedCase(supportCase, {
        now,
        sla,
        duplicateOf,
        incident,
        commitments: policy.deliveryCommitments,
      }) ?? unchanged(supportCase),
    { loaded: received },
  );
  return decision.timeline.length > 0 ? 'accepted' : 'already_accepted';
}

async function findOpenDuplicate(
  supportCase: SupportCase,
  windowDays: number,
  deps: Dependencies,
): Promise<DuplicateCandidate | null> {
  if (!supportCase.trackingNumber || supportCase.contactHashes.length === 0) return null;
  const since = duplicateWindowStart(supportCase.createdAt, windowDays);
  const refs = await deps.contacts.findCasesByContact(supportCase.contactHashes, since);
  const sameWaybill = refs.filter((ref) => isSameWaybill(ref, supportCase));
  if (sameWaybill.length === 0) return null;
  const candidates = await deps.cases.getCases(sameWaybill.map((ref) => ref.caseId));
  return findDuplicateOf(supportCase, candidates, windowDays);
}
