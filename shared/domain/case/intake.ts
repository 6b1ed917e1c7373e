// Intake (DOMAIN.md §2 steps 2–4, §5): a received case is classified and routed, its clocks start from the
// moment it was received, it is linked to an open duplicate, a delay report is judged against the delivery
// commitment, and the acknowledgement states the deadlines that follow.
import type { CaseStatus, Category } from '../case-model.ts';
import { inferCategory } from '../category-inference.ts';
import {
  assessDelivery,
  type DeliveryCommitmentTable,
  defaultDeliveryCommitments,
} from '../delivery-commitment.ts';
import { type IncidentFacts, linkToIncident } from '../incident.ts';
import { routeCase } from '../routing.ts';
import type { SupportCase } from '../support-case.ts';
import { categoryLabel, customerText } from '../timeline-texts.ts';
import { assessNewCase } from './assessment.ts';
import { retargetCaseClocks, type SlaSettings } from './case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder } from './case-decision.ts';
import { customerNotifications } from './notifications.ts';
import { ownBySeverity } from './ownership.ts';

// ---------------------------------------------------------------------------------------------------------
// Duplicates (DOMAIN.md §2): same waybill, same customer, an open case within 7 days.

export const duplicateWindowDays = 7;

export interface DuplicateCandidate {
  caseId: string;
  status: CaseStatus;
  createdAt: string;
  trackingNumber?: string;
}

const openStatuses: readonly CaseStatus[] = [
  'received',
  'open',
  'in_progress',
  'awaiting_customer',
  'appealed',
];

/** The earliest creation time a duplicate of a case created at `createdAt` may have. */
export function duplicateWindowStart(createdAt: string, windowDays = duplicateWindowDays): string {
  return new Date(new Date(createdAt).getTime() - windowDays * 86_400_000).toISOString();
}

/** Another case on the same waybill (case-insensitive). */
export function isSameWaybill(
  candidate: { caseId: string; trackingNumber?: string },
  supportCase: { caseId: string; trackingNumber?: string },
): boolean {
  return (
    candidate.caseId !== supportCase.caseId &&
    candidate.trackingNumber?.toUpperCase() === supportCase.trackingNumber?.toUpperCase()
  );
}

export function findDuplicateOf(
  supportCase: Pick<SupportCase, 'caseId' | 'trackingNumber' | 'createdAt'>,
  candidates: readonly DuplicateCandidate[],
  windowDays = duplicateWindowDays,
): DuplicateCandidate | null {
  if (!supportCase.trackingNumber) return null;
  const windowStart = duplicateWindowStart(supportCase.createdAt, windowDays);
  const matches = candidates
    .filter(
      (candidate) =>
        isSameWaybill(candidate, supportCase) &&
        openStatuses.includes(candidate.status) &&
        new Date(candidate.createdAt).getTime() >= new Date(windowStart).getTime() &&
        candidate.createdAt <= supportCase.createdAt,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return matches[0] ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Acceptance

/**
 * Accept a received case: the same assessment registration showed (so the acknowledgement states the
 * deadlines the customer was given), the link to an open duplicate, and the delivery check. Null when the
 * case is no longer `received`: intake already happened.
 */
export function acceptReceivedCase(
  supportCase: SupportCase,
  context: {
    now: Date;
    sla: SlaSettings;
    duplicateOf: DuplicateCandidate | null;
    commitments?: DeliveryCommitmentTable;
    /** The active incident the case's waybill is caught in: linked, and stated in the acknowledgement. */
    incident?: IncidentFacts | null;
  },
): CaseDecision | null {
  if (supportCase.status !== 'received') return null;
  const at = context.now.toISOString();
  const { classification, clocks, deadlines } = assessNewCase(
    supportCase.categorySource === 'customer' ? supportCase : { ...supportCase, category: undefined },
    new Date(supportCase.createdAt),
    context.sla,
  );
  const locale = supportCase.customer.locale;
  // A case intake once gave up on is accepted like any other once the cause is fixed.
  const { intakeFailedAt: _gaveUpAt, ...receivedCase } = supportCase;
  const accepted: SupportCase = {
    ...receivedCase,
    status: 'open',
    category: classification.category,
    categorySource: classification.categorySource,
    priority: classification.priority,
    team: classification.team,
    clocks,
    deadlines,
    linkedCaseIds: context.duplicateOf ? [context.duplicateOf.caseId] : supportCase.linkedCaseIds,
    updatedAt: at,
  };
  // Registration wrote entry 0; intake follows it even when both happen in the same millisecond.
  const decision = new CaseDecisionBuilder(context.now, { firstSequence: 1 });
  decision.add({
    kind: 'classified',
    actor: 'system',
    message: customerText(locale, 'classified', { category: categoryLabel(locale, classification.category) }),
    internal: false,
    data: { ...classification },
  });
  if (context.duplicateOf) {
    const existingCaseId = context.duplicateOf.caseId;
    decision.add({
      kind: 'linked',
      actor: 'system',
      message: customerText(locale, 'linked', { existingCaseId }),
      internal: false,
      data: { existingCaseId },
    });
  }
  const inIncident = context.incident
    ? (linkToIncident(accepted, context.incident, decision) ?? accepted)
    : accepted;
  // A delay report is judged against the delivery commitment before the acknowledgement states deadlines.
  // Urgent cases (after the delivery check, which may raise the priority) start with a manager.
  const checked = ownBySeverity(checkDelivery(inIncident, decision, context), decision);
  const ackData = {
    category: checked.category,
    caseType: supportCase.type,
    deadlines: checked.deadlines,
    ...(context.incident ? { incident: context.incident } : {}),
  };
  decision.notify(customerNotifications(checked, 'acknowledgement', 'ack', ackData, at));
  if (context.duplicateOf) {
    const existingCaseId = context.duplicateOf.caseId;
    decision.notify(customerNotifications(checked, 'duplicate_linked', 'linked', { existingCaseId }, at));
  }
  return decision.decide(checked);
}

// ---------------------------------------------------------------------------------------------------------
// Giving up

/** How often a case stuck in `received` goes back to intake before intake gives up on it. */
export const maxIntakeRequeues = 5;

/**
 * Intake gives up on a case it could not accept although the sweep handed it back `requeues` times: the case stays `received`,
 * marked for supervisors, with the reason on its timeline for staff. Null when it is no longer received or
 * was already given up on.
 */
export function giveUpIntake(
  supportCase: SupportCase,
  context: { now: Date; requeues: number },
): CaseDecision | null {
  if (supportCase.status !== 'received' || supportCase.intakeFailedAt) return null;
  const decision = new CaseDecisionBuilder(context.now);
  decision.add({
    kind: 'intake_failed',
    actor: 'system',
    message: `Intake could not accept the case after ${context.requeues} re-queues; a supervisor must look at it`,
    internal: true,
    data: { requeues: context.requeues },
  });
  return decision.decide({ ...supportCase, intakeFailedAt: decision.at, updatedAt: decision.at });
}

/** A delay report with a shipment: exception or claim `delayed`, or a delivery complaint that reads as a delay. */
export function isDelayReport(
  supportCase: Pick<SupportCase, 'type' | 'category' | 'subject' | 'description' | 'shipment'>,
): boolean {
  if (!supportCase.shipment) return false;
  if (supportCase.type === 'exception' || supportCase.type === 'claim') {
    return supportCase.category === 'delayed';
  }
  if (supportCase.type === 'complaint' && supportCase.category === 'delivery') {
    const reading = inferCategory('exception', supportCase.subject, supportCase.description);
    return reading.category === 'delayed' && reading.matchedKeywords.length > 0;
  }
  return false;
}

/**
 * The delivery check (DOMAIN.md §5): the verdict goes on the timeline for staff, and a delay past the
 * complete-delay limit becomes a loss case (category `lost`, routed again; a delivery complaint keeps its
 * category and takes the priority of a loss), with the deadlines that follow from it.
 */
function checkDelivery(
  supportCase: SupportCase,
  decision: CaseDecisionBuilder,
  context: { now: Date; sla: SlaSettings; commitments?: DeliveryCommitmentTable },
): SupportCase {
  if (!isDelayReport(supportCase) || !supportCase.shipment) return supportCase;
  const assessment = assessDelivery(
    supportCase.shipment,
    context.now,
    context.sla.calendar,
    context.commitments ?? defaultDeliveryCommitments,
  );
  if (assessment.verdict === 'unknown') {
    decision.add({
      kind: 'delivery_checked',
      actor: 'system',
      message: `Delivery check: cannot judge (${assessment.reason})`,
      internal: true,
      data: { ...assessment },
    });
    return supportCase;
  }
  let checked = supportCase;
  let conversion: Record<string, unknown> = {};
  if (assessment.verdict === 'lost') {
    const asLoss = routeCase({
      type: supportCase.type === 'complaint' ? 'exception' : supportCase.type,
      category: 'lost',
      customerType: supportCase.customer.type,
      tier: supportCase.customer.tier,
    });
    const category: Category = supportCase.type === 'complaint' ? supportCase.category : 'lost';
    checked = retargetCaseClocks(
      { ...supportCase, category, priority: asLoss.priority, updatedAt: decision.at },
      context.now,
      context.sla,
    );
    conversion = {
      convertedTo: 'lost',
      category,
      priority: asLoss.priority,
      routingRule: `${asLoss.rule} (delay past the complete-delay limit)`,
    };
  }
  const approximately = assessment.approximate
    ? ' (approximate: it counts days of a provisional or missing calendar year)'
    : '';
  const verdictText = {
    within_commitment: `Delivery check: within the commitment (due ${assessment.commitmentAt})`,
    delayed: `Delivery check: delay confirmed (committed by ${assessment.commitmentAt})`,
    lost: `Delivery check: past the complete-delay limit (${assessment.lostAfter}); treated as lost`,
  }[assessment.verdict];
  decision.add({
    kind: 'delivery_checked',
    actor: 'system',
    message: `${verdictText}${approximately}`,
    internal: true,
    data: { ...assessment, ...conversion },
  });
  return checked;
}
