// What staff do to an open case (DOMAIN.md §2, §6; API.md "Case statuses"). One pure function per action:
// each takes the case as loaded and the time, and returns one CaseDecision to write in one transaction.
import { isCategoryOf, type Team } from '../case-model.ts';
import { canApply, nextStatus } from '../case-status.ts';
import {
  approveCompensation,
  type CompensationPolicy,
  compensationForCustomer,
  type ProposedCompensation,
} from '../compensation.ts';
import { Conflict, InvalidTransition, ValidationFailed } from '../errors.ts';
import { escalateCase, type TeamLeads } from '../escalation.ts';
import type { Remedy } from '../processes.ts';
import { routeCase } from '../routing.ts';
import { meetClock, type SlaClock } from '../sla-clock.ts';
import { assertMayDo, type StaffMember } from '../staff-permissions.ts';
import type { SupportCase, TimelineEntry } from '../support-case.ts';
import { customerText } from '../timeline-texts.ts';
import {
  allClocks,
  pauseEach,
  resumeEach,
  retargetCaseClocks,
  type SlaSettings,
  withClocks,
  workClocks,
} from './case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder, unchanged } from './case-decision.ts';
import { addStatusChange, assignmentText, eventKey, handlerEmailFor, takeForWork } from './case-work.ts';
import { customerNotifications } from './notifications.ts';
import { ownBySeverity } from './ownership.ts';
import { transferClockOnAssign, transferMet } from './process-actions.ts';

export interface StaffActionContext {
  at: Date;
  actor: StaffMember;
}

export const defaultSurveyDelayMs = 3600_000;

/**
 * Take or hand over a case. Without an assignee or a team the actor takes it; with only a team it moves
 * to that team's queue. The first person to hold it stays its owner (first-responsibility rule).
 */
export function assignCase(
  supportCase: SupportCase,
  context: StaffActionContext & { assignee?: string; team?: Team; sla?: SlaSettings },
): CaseDecision {
  const { actor } = context;
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, 'assign');
  if (supportCase.status === 'appealed') assertMayDo(actor, 'review_appeal');
  // Only a team: the case moves to that team's queue and waits for someone there to take it.
  const handler = context.assignee ?? (context.team && context.team !== supportCase.team ? null : actor.sub);
  const team = context.team ?? supportCase.team;
  // A supervisor taking an appealed case for themselves starts the review: it is back in progress.
  const status =
    supportCase.status === 'appealed' && handler === actor.sub
      ? nextStatus('appealed', 'reopen_for_review')
      : handler !== null
        ? nextStatus(supportCase.status, 'take')
        : supportCase.status;
  if (handler === supportCase.handler && team === supportCase.team && status === supportCase.status) {
    return unchanged(supportCase);
  }
  const decision = new CaseDecisionBuilder(context.at);
  const updated: SupportCase = transferClockOnAssign(
    supportCase,
    {
      ...supportCase,
      status,
      team,
      handler,
      handlerEmail: handlerEmailFor(supportCase, handler, actor),
      owner: supportCase.owner ?? handler,
      updatedAt: decision.at,
    },
    context,
  );
  decision.add({
    kind: 'assigned',
    actor: actor.sub,
    message: assignmentText(supportCase, handler, team),
    internal: true,
    data: {
      handler,
      previousHandler: supportCase.handler,
      team,
      previousTeam: supportCase.team,
      owner: updated.owner,
    },
  });
  addStatusChange(decision, supportCase, status, actor.sub);
  return decision.decide(updated);
}

/**
 * A public reply reaches the customer and meets the first-response clock; it also takes an open case.
 * An internal note changes nothing but the timeline, in any status.
 */
export function replyToCase(
  supportCase: SupportCase,
  context: StaffActionContext & { message: string; internal: boolean },
): CaseDecision {
  const { actor } = context;
  const decision = new CaseDecisionBuilder(context.at);
  const at = decision.at;
  if (context.internal) {
    decision.add({ kind: 'note', actor: actor.sub, message: context.message, internal: true });
    return decision.decide(withClocks({ ...supportCase, updatedAt: at }, transferMet(context.at)));
  }
  const taken = takeForWork(supportCase, actor, 'reply to', decision);
  const updated = withClocks(
    { ...taken, updatedAt: at },
    { firstResponse: (clock) => meetClock(clock, context.at), ...transferMet(context.at) },
  );
  decision.add({ kind: 'reply', actor: actor.sub, message: context.message, internal: false });
  const data = { message: context.message };
  decision.notify(customerNotifications(updated, 'reply', eventKey('reply', supportCase), data, at));
  return decision.decide(updated);
}

/** The handling plan (DOMAIN.md §2 step 5): meets the plan clock and tells the customer, with any compensation. */
export function recordPlan(
  supportCase: SupportCase,
  context: StaffActionContext & {
    message: string;
    compensation?: ProposedCompensation;
    remedy?: Remedy;
    compensationPolicy: CompensationPolicy;
  },
): CaseDecision {
  const { actor } = context;
  const decision = new CaseDecisionBuilder(context.at);
  const at = decision.at;
  const approved = approveCompensation(context.compensation, actor, context.compensationPolicy);
  const taken = takeForWork(supportCase, actor, 'plan', decision);
  const updated = withClocks(
    { ...taken, ...(approved ? { compensation: approved } : {}), ...remedyOf(context), updatedAt: at },
    {
      // The plan is written to the customer, so it is a public response too.
      firstResponse: (clock) => meetClock(clock, context.at),
      plan: (clock) => meetClock(clock, context.at),
      ...transferMet(context.at),
    },
  );
  decision.add({
    kind: 'plan',
    actor: actor.sub,
    message: context.message,
    internal: false,
    data:
      approved || context.remedy
        ? { ...(approved ? { compensation: approved } : {}), ...remedyOf(context) }
        : undefined,
  });
  const data = {
    message: context.message,
    ...(approved ? { compensation: compensationForCustomer(approved) } : {}),
    ...remedyFacts(updated, context),
  };
  decision.notify(customerNotifications(updated, 'plan', eventKey('plan', supportCase), data, at));
  return decision.decide(updated);
}

/**
 * Waiting for the customer pauses the work clocks; back in progress resumes them. An appealed case goes
 * back in progress only under a supervisor (the review).
 */
export function changeStatus(
  supportCase: SupportCase,
  context: StaffActionContext & { status: 'awaiting_customer' | 'in_progress'; reason?: string },
): CaseDecision {
  const { actor } = context;
  let status: SupportCase['status'];
  let updated: SupportCase;
  if (context.status === 'awaiting_customer') {
    status = nextStatus(supportCase.status, 'await_customer');
    updated = withClocks(supportCase, pauseEach(workClocks, context.at));
  } else if (supportCase.status === 'appealed') {
    assertMayDo(actor, 'review_appeal');
    status = nextStatus(supportCase.status, 'reopen_for_review');
    const handler = supportCase.handler ?? actor.sub;
    updated = {
      ...supportCase,
      handler,
      handlerEmail: handlerEmailFor(supportCase, handler, actor),
      owner: supportCase.owner ?? handler,
    };
  } else {
    status = nextStatus(supportCase.status, 'resume');
    updated = withClocks(supportCase, resumeEach(workClocks, context.at));
  }
  const decision = new CaseDecisionBuilder(context.at);
  addStatusChange(decision, supportCase, status, actor.sub, context.reason);
  return decision.decide(withClocks({ ...updated, status, updatedAt: decision.at }, transferMet(context.at)));
}

/** Manual escalation, one level up (specialist → supervisor → manager). */
export function escalateManually(
  supportCase: SupportCase,
  context: StaffActionContext & { reason: string; teamLeads: TeamLeads },
): CaseDecision {
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, 'escalate');
  const decision = new CaseDecisionBuilder(context.at);
  const escalated = escalateCase(supportCase, decision, {
    at: context.at,
    actor: context.actor.sub,
    reason: context.reason,
    cause: 'manual',
    teamLeads: context.teamLeads,
    eventKey: eventKey('manual', supportCase),
  });
  if (!escalated) throw new Conflict('The case is already with a manager: there is no level above');
  return decision.decide({ ...escalated, handlerEmail: undefined });
}

/**
 * Resolve: a written answer with the result and any compensation (DOMAIN.md §2 step 6). Every clock still
 * running is answered by it; amounts above the approval limit need a supervisor. The survey follows after
 * the configured delay, unless the customer already gave feedback.
 */
export function resolveCase(
  supportCase: SupportCase,
  context: StaffActionContext & {
    resolution: string;
    compensation?: ProposedCompensation;
    remedy?: Remedy;
    compensationPolicy: CompensationPolicy;
    surveyDelayMs?: number;
  },
): CaseDecision {
  const { actor } = context;
  const decision = new CaseDecisionBuilder(context.at);
  const at = decision.at;
  if (supportCase.status === 'appealed') assertMayDo(actor, 'review_appeal');
  const status = nextStatus(supportCase.status, 'resolve');
  const approved = approveCompensation(context.compensation, actor, context.compensationPolicy);
  const handler = supportCase.handler ?? actor.sub;
  const updated = withClocks(
    {
      ...supportCase,
      status,
      handler,
      handlerEmail: handlerEmailFor(supportCase, handler, actor),
      owner: supportCase.owner ?? handler,
      ...(approved ? { compensation: approved } : {}),
      ...remedyOf(context),
      resolvedAt: at,
      updatedAt: at,
    },
    Object.fromEntries(allClocks.map((name) => [name, (clock: SlaClock) => meetClock(clock, context.at)])),
  );
  const compensation = updated.compensation;
  decision.add({
    kind: 'resolved',
    actor: actor.sub,
    message: context.resolution,
    internal: false,
    data:
      compensation || context.remedy
        ? { ...(compensation ? { compensation } : {}), ...remedyOf(context) }
        : undefined,
  });
  const data = {
    resolution: context.resolution,
    ...(compensation ? { compensation: compensationForCustomer(compensation) } : {}),
    ...remedyFacts(updated, context),
  };
  decision.notify(
    customerNotifications(updated, 'resolution', eventKey('resolution', supportCase), data, at),
  );
  if (!supportCase.feedback) {
    // The survey goes by email when we have an address, else by SMS; the outbox holds it until it is due.
    const delayMs = context.surveyDelayMs ?? defaultSurveyDelayMs;
    const dispatchAt = new Date(context.at.getTime() + delayMs).toISOString();
    decision.notify(
      customerNotifications(updated, 'survey', eventKey('survey', supportCase), {}, dispatchAt),
    );
  }
  return decision.decide(updated);
}

/** The non-cash remedy this plan or resolution offers, as a case field. */
function remedyOf(context: { remedy?: Remedy }): { remedy?: Remedy } {
  return context.remedy ? { remedy: context.remedy } : {};
}

/** What the customer's message says beside the amount: this action's remedy and a force-majeure cause. */
function remedyFacts(supportCase: SupportCase, context: { remedy?: Remedy }) {
  return { ...remedyOf(context), ...(supportCase.forceMajeure ? { forceMajeure: true as const } : {}) };
}

/** A supervisor closes a resolved case without waiting for feedback. */
export function closeCase(supportCase: SupportCase, context: StaffActionContext): CaseDecision {
  const status = nextStatus(supportCase.status, 'close');
  const decision = new CaseDecisionBuilder(context.at);
  decision.add({
    kind: 'closed',
    actor: context.actor.sub,
    message: customerText(supportCase.customer.locale, 'closed'),
    internal: false,
  });
  return decision.decide({ ...supportCase, status, closedAt: decision.at, updatedAt: decision.at });
}

/**
 * An agent corrects the category: the case is routed again, and the running clocks take the new targets
 * while keeping the time already used.
 */
export function correctCategory(
  supportCase: SupportCase,
  context: StaffActionContext & { category: string; sla: SlaSettings },
): CaseDecision {
  if (supportCase.status === 'received') throw new InvalidTransition(supportCase.status, 'recategorise');
  const { category } = context;
  if (!isCategoryOf(supportCase.type, category)) {
    throw new ValidationFailed(`Category ${category} does not belong to type ${supportCase.type}`, [
      { path: 'category', message: `not a category of ${supportCase.type}` },
    ]);
  }
  if (category === supportCase.category && supportCase.categorySource === 'agent') {
    return unchanged(supportCase);
  }
  const decision = new CaseDecisionBuilder(context.at);
  const route = routeCase({
    type: supportCase.type,
    category,
    customerType: supportCase.customer.type,
    tier: supportCase.customer.tier,
  });
  const updated = retargetCaseClocks(
    {
      ...supportCase,
      category,
      categorySource: 'agent',
      priority: route.priority,
      team: route.team,
      updatedAt: decision.at,
    },
    context.at,
    context.sla,
  );
  decision.add({
    kind: 'category_corrected',
    actor: context.actor.sub,
    message: `Category corrected from ${supportCase.category} to ${category}`,
    internal: true,
    data: {
      from: supportCase.category,
      fromSource: supportCase.categorySource,
      to: category,
      priority: route.priority,
      team: route.team,
      routingRule: route.rule,
    },
  });
  return decision.decide(ownBySeverity(updated, decision));
}

/** Staff saw the customer's full contact details: the audit trail records who and when (DOMAIN.md §9). */
export function contactViewedEntry(at: Date, actor: StaffMember, reason?: string): TimelineEntry {
  // Unique per reader and instant, outside the version sequence: a read never changes the case.
  return new CaseDecisionBuilder(at).addKeyed(
    { at: at.toISOString(), key: `contact_viewed#${actor.sub}` },
    {
      kind: 'contact_viewed',
      actor: actor.sub,
      message: reason
        ? `Viewed the customer contact details; reason: ${reason}`
        : 'Viewed the customer contact details',
      internal: true,
      ...(reason ? { data: { reason } } : {}),
    },
  );
}
