// What a customer does to their case (DOMAIN.md §2, §8): add information, answer the survey, appeal.
// One pure function per action, each returning one CaseDecision.
import { beijingDate } from '../beijing-time.ts';
import type { Channel } from '../case-model.ts';
import { canAppeal, canApply, defaultAppealWindowDays, nextStatus } from '../case-status.ts';
import { Conflict, InvalidTransition } from '../errors.ts';
import { type EscalationCause, escalateCase, type TeamLeads } from '../escalation.ts';
import { startClock } from '../sla-clock.ts';
import { appealTargetFor, defaultSlaPolicy } from '../sla-policy.ts';
import type { SupportCase } from '../support-case.ts';
import { customerText } from '../timeline-texts.ts';
import { refreshDeadlines, resumeEach, type SlaSettings, withClocks, workClocks } from './case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder } from './case-decision.ts';
import { addStatusChange, eventKey } from './case-work.ts';

/** How a customer's message reached the case. */
export type MessageChannel = Extract<Channel, 'web' | 'email' | 'sms'>;

/**
 * The customer adds information; a case waiting for them resumes and its work clocks run again. The
 * entry records the channel it came by (the case page, a reply by email, a text).
 */
export function addCustomerMessage(
  supportCase: SupportCase,
  context: { at: Date; message: string; channel?: MessageChannel },
): CaseDecision {
  if (!canApply(supportCase.status, 'customer_replied')) {
    throw new InvalidTransition(supportCase.status, 'add a message to');
  }
  const status = nextStatus(supportCase.status, 'customer_replied');
  const resumed =
    supportCase.status === 'awaiting_customer'
      ? withClocks(supportCase, resumeEach(workClocks, context.at))
      : supportCase;
  const decision = new CaseDecisionBuilder(context.at);
  decision.add({
    kind: 'customer_message',
    actor: 'customer',
    message: context.message,
    internal: false,
    data: { channel: context.channel ?? 'web' },
  });
  addStatusChange(decision, supportCase, status, 'customer');
  return decision.decide({ ...resumed, status, updatedAt: decision.at });
}

/** The survey answer: only for a resolved or closed case, and once per case. */
export function giveFeedback(
  supportCase: SupportCase,
  context: { at: Date; score: number; nps?: number; comment?: string },
): CaseDecision {
  if (supportCase.status !== 'resolved' && supportCase.status !== 'closed') {
    throw new InvalidTransition(supportCase.status, 'give feedback on');
  }
  if (supportCase.feedback) throw new Conflict('Feedback was already given for this case');
  const decision = new CaseDecisionBuilder(context.at);
  const feedback = {
    score: context.score,
    ...(context.nps !== undefined ? { nps: context.nps } : {}),
    ...(context.comment ? { comment: context.comment } : {}),
    at: decision.at,
  };
  decision.add({
    kind: 'feedback',
    actor: 'customer',
    message: customerText(supportCase.customer.locale, 'feedback'),
    internal: false,
    data: { score: feedback.score, ...(feedback.nps !== undefined ? { nps: feedback.nps } : {}) },
  });
  return decision.decide({ ...supportCase, feedback, updatedAt: decision.at });
}

/**
 * Appeal (复核/申诉): within the window after the resolution, the case goes to a supervisor with a new
 * deadline; a case appealed a second time escalates one more level.
 */
export function appealCase(
  supportCase: SupportCase,
  context: {
    at: Date;
    reason: string;
    sla: SlaSettings;
    teamLeads: TeamLeads;
    appealWindowDays?: number;
  },
): CaseDecision {
  if (!canApply(supportCase.status, 'appeal')) throw new InvalidTransition(supportCase.status, 'appeal');
  const windowDays = context.appealWindowDays ?? defaultAppealWindowDays;
  if (!canAppeal(supportCase.status, supportCase.resolvedAt ?? null, context.at, windowDays)) {
    throw new Conflict(`A case can be appealed within ${windowDays} days of its resolution`);
  }
  const decision = new CaseDecisionBuilder(context.at);
  const at = decision.at;
  const appealClock = startClock(
    'appeal',
    appealTargetFor(context.sla.policy ?? defaultSlaPolicy),
    context.at,
    context.sla.calendar,
  );
  const { closedAt: _reopened, ...open } = supportCase;
  let appealed: SupportCase = refreshDeadlines({
    ...open,
    status: nextStatus(supportCase.status, 'appeal'),
    appealCount: supportCase.appealCount + 1,
    appealedAt: at,
    clocks: { ...supportCase.clocks, appeal: appealClock },
    updatedAt: at,
  });
  decision.add({
    kind: 'appealed',
    actor: 'customer',
    message: customerText(supportCase.customer.locale, 'appealed', {
      due: beijingDate(new Date(appealClock.dueAt)),
    }),
    internal: false,
    data: { reason: context.reason, appealCount: appealed.appealCount, dueAt: appealClock.dueAt },
  });
  const escalate = (cause: EscalationCause, reason: string): boolean => {
    const escalated = escalateCase(appealed, decision, {
      at: context.at,
      actor: 'system',
      reason,
      cause,
      teamLeads: context.teamLeads,
      eventKey: eventKey(cause, supportCase),
    });
    if (escalated) appealed = escalated;
    return escalated !== null;
  };
  // The review belongs to a supervisor at least; a second appeal climbs one more level.
  let escalated = appealed.escalationLevel < 1 && escalate('appeal', 'The customer appealed the result');
  if (appealed.appealCount >= 2) {
    escalated = escalate('reopened', `Appealed ${appealed.appealCount} times`) || escalated;
  }
  if (!escalated && appealed.handler !== null) {
    decision.add({
      kind: 'assigned',
      actor: 'system',
      message: 'Back in the supervisors’ queue for the appeal review',
      internal: true,
      data: {
        handler: null,
        previousHandler: appealed.handler,
        team: appealed.team,
        previousTeam: appealed.team,
        owner: appealed.owner,
      },
    });
    appealed = { ...appealed, handler: null };
  }
  return decision.decide({ ...appealed, handlerEmail: undefined });
}
