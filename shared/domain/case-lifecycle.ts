// What staff and customers do to a case once it is open (DOMAIN.md §2, §5, §6; API.md "Case statuses").
// One pure function per action: each takes the case as loaded and the time, and returns the new case,
// the timeline entries and the notifications to write in one transaction. Timeline and notification ids
// derive from the loaded version, so a retried write of the same decision can never add anything twice.
import { toShanghaiDate } from './business-calendar.ts';
import { type Category, isCategoryOf, type Money, type Team } from './case-model.ts';
import { canAppeal, canApply, defaultAppealWindowDays, nextStatus } from './case-status.ts';
import { inferCategory } from './category-inference.ts';
import {
  type CompensationPolicy,
  type CompensationSituation,
  computeCompensation,
  needsSupervisorApproval,
} from './compensation.ts';
import {
  assessDelivery,
  type DeliveryCommitmentTable,
  defaultDeliveryCommitments,
} from './delivery-commitment.ts';
import { Conflict, InvalidTransition, ValidationFailed } from './errors.ts';
import { escalateCase, type TeamLeads } from './escalation.ts';
import { routeCase } from './routing.ts';
import { meetClock, pauseClock, resumeClock, retargetClock, type SlaClock, startClock } from './sla-clock.ts';
import { appealTargetFor, type ClockName, clockTargetsFor, defaultSlaPolicy } from './sla-policy.ts';
import { assertMayDo, type StaffMember } from './staff-permissions.ts';
import {
  customerNotifications,
  entryIdAt,
  type IntakeDecision,
  type NotificationIntent,
  type SlaSettings,
  type SupportCase,
  type TimelineEntry,
  type TimelineKind,
} from './support-case.ts';
import { customerText } from './timeline-texts.ts';

export interface LifecycleDecision {
  supportCase: SupportCase;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
}

export interface StaffActionContext {
  at: Date;
  actor: StaffMember;
}

/** A compensation amount and the rule that produced it, before anyone approved it. */
export interface ProposedCompensation {
  amount: Money;
  rule: string;
}

export const defaultSurveyDelayMs = 3600_000;

/** The clocks that measure work on the case; waiting for the customer pauses them, never firstResponse. */
const workClocks: readonly ClockName[] = ['plan', 'resolution', 'appeal'];
const allClocks: readonly ClockName[] = ['firstResponse', 'plan', 'resolution', 'appeal'];

// ---------------------------------------------------------------------------------------------------------
// Staff actions

/**
 * Take or hand over a case. Without an assignee or a team the actor takes it; with only a team it moves
 * to that team's queue. The first person to hold it stays its owner (first-responsibility rule).
 */
export function assignCase(
  supportCase: SupportCase,
  context: StaffActionContext & { assignee?: string; team?: Team },
): LifecycleDecision {
  const { actor } = context;
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, 'assign');
  if (supportCase.status === 'appealed') assertMayDo(actor, 'review_appeal');
  const at = iso(context.at);
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
  const updated: SupportCase = {
    ...supportCase,
    status,
    team,
    handler,
    handlerEmail: handlerEmailFor(supportCase, handler, actor),
    owner: supportCase.owner ?? handler,
    updatedAt: at,
  };
  const entries = new EntrySequence(at);
  entries.add('assigned', actor.sub, assignmentText(supportCase, handler, team), true, {
    handler,
    previousHandler: supportCase.handler,
    team,
    previousTeam: supportCase.team,
    owner: updated.owner,
  });
  addStatusChange(entries, supportCase, status, actor.sub);
  return { supportCase: updated, timeline: entries.list, notifications: [] };
}

/**
 * A public reply reaches the customer and meets the first-response clock; it also takes an open case.
 * An internal note changes nothing but the timeline, in any status.
 */
export function replyToCase(
  supportCase: SupportCase,
  context: StaffActionContext & { message: string; internal: boolean },
): LifecycleDecision {
  const at = iso(context.at);
  const { actor } = context;
  const entries = new EntrySequence(at);
  if (context.internal) {
    entries.add('note', actor.sub, context.message, true);
    return { supportCase: { ...supportCase, updatedAt: at }, timeline: entries.list, notifications: [] };
  }
  const taken = takeForWork(supportCase, actor, 'reply to', entries);
  const updated = withClocks(
    { ...taken, updatedAt: at },
    { firstResponse: (clock) => meetClock(clock, context.at) },
  );
  entries.add('reply', actor.sub, context.message, false);
  return {
    supportCase: updated,
    timeline: entries.list,
    notifications: customerNotifications(
      updated,
      'reply',
      eventKey('reply', supportCase),
      { message: context.message },
      at,
    ),
  };
}

/** The handling plan (DOMAIN.md §2 step 5): meets the plan clock and tells the customer, with any compensation. */
export function recordPlan(
  supportCase: SupportCase,
  context: StaffActionContext & {
    message: string;
    compensation?: ProposedCompensation;
    compensationPolicy: CompensationPolicy;
  },
): LifecycleDecision {
  const at = iso(context.at);
  const { actor } = context;
  const entries = new EntrySequence(at);
  const approved = approveCompensation(context.compensation, actor, context.compensationPolicy);
  const taken = takeForWork(supportCase, actor, 'plan', entries);
  const updated = withClocks(
    { ...taken, ...(approved ? { compensation: approved } : {}), updatedAt: at },
    {
      // The plan is written to the customer, so it is a public response too.
      firstResponse: (clock) => meetClock(clock, context.at),
      plan: (clock) => meetClock(clock, context.at),
    },
  );
  entries.add('plan', actor.sub, context.message, false, approved ? { compensation: approved } : undefined);
  return {
    supportCase: updated,
    timeline: entries.list,
    notifications: customerNotifications(
      updated,
      'plan',
      eventKey('plan', supportCase),
      { message: context.message, ...(approved ? { compensation: compensationForCustomer(approved) } : {}) },
      at,
    ),
  };
}

/**
 * Waiting for the customer pauses the work clocks; back in progress resumes them. An appealed case goes
 * back in progress only under a supervisor (the review).
 */
export function changeStatus(
  supportCase: SupportCase,
  context: StaffActionContext & { status: 'awaiting_customer' | 'in_progress'; reason?: string },
): LifecycleDecision {
  const at = iso(context.at);
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
  updated = { ...updated, status, updatedAt: at };
  const entries = new EntrySequence(at);
  addStatusChange(entries, supportCase, status, actor.sub, context.reason);
  return { supportCase: updated, timeline: entries.list, notifications: [] };
}

/** Manual escalation, one level up (specialist → supervisor → manager). */
export function escalateManually(
  supportCase: SupportCase,
  context: StaffActionContext & { reason: string; teamLeads: TeamLeads },
): LifecycleDecision {
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, 'escalate');
  const decision = escalateCase(supportCase, {
    at: context.at,
    actor: context.actor.sub,
    reason: context.reason,
    cause: 'manual',
    teamLeads: context.teamLeads,
    eventKey: `manual.v${supportCase.version}`,
    sequence: 1,
  });
  if (!decision.escalated) throw new Conflict('The case is already with a manager: there is no level above');
  return {
    supportCase: { ...decision.supportCase, handlerEmail: undefined },
    timeline: decision.timeline,
    notifications: decision.notifications,
  };
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
    compensationPolicy: CompensationPolicy;
    surveyDelayMs?: number;
  },
): LifecycleDecision {
  const at = iso(context.at);
  const { actor } = context;
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
      resolvedAt: at,
      updatedAt: at,
    },
    Object.fromEntries(allClocks.map((name) => [name, (clock: SlaClock) => meetClock(clock, context.at)])),
  );
  const compensation = updated.compensation;
  const entries = new EntrySequence(at);
  entries.add('resolved', actor.sub, context.resolution, false, compensation ? { compensation } : undefined);
  const notifications = customerNotifications(
    updated,
    'resolution',
    eventKey('resolution', supportCase),
    {
      resolution: context.resolution,
      ...(compensation ? { compensation: compensationForCustomer(compensation) } : {}),
    },
    at,
  );
  if (!supportCase.feedback) {
    const dispatchAt = iso(new Date(context.at.getTime() + (context.surveyDelayMs ?? defaultSurveyDelayMs)));
    notifications.push(...surveyNotification(updated, eventKey('survey', supportCase), dispatchAt));
  }
  return { supportCase: updated, timeline: entries.list, notifications };
}

/** A supervisor closes a resolved case without waiting for feedback. */
export function closeCase(supportCase: SupportCase, context: StaffActionContext): LifecycleDecision {
  const at = iso(context.at);
  const status = nextStatus(supportCase.status, 'close');
  const entries = new EntrySequence(at);
  entries.add('closed', context.actor.sub, customerText(supportCase.customer.locale, 'closed'), false);
  return {
    supportCase: { ...supportCase, status, closedAt: at, updatedAt: at },
    timeline: entries.list,
    notifications: [],
  };
}

/**
 * An agent corrects the category: the case is routed again, and the running clocks take the new targets
 * while keeping the time already used.
 */
export function correctCategory(
  supportCase: SupportCase,
  context: StaffActionContext & { category: string; sla: SlaSettings },
): LifecycleDecision {
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
  const at = iso(context.at);
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
      updatedAt: at,
    },
    context.at,
    context.sla,
  );
  const entries = new EntrySequence(at);
  entries.add(
    'category_corrected',
    context.actor.sub,
    `Category corrected from ${supportCase.category} to ${category}`,
    true,
    {
      from: supportCase.category,
      fromSource: supportCase.categorySource,
      to: category,
      priority: route.priority,
      team: route.team,
      routingRule: route.rule,
    },
  );
  return { supportCase: updated, timeline: entries.list, notifications: [] };
}

/** Staff saw the customer's full contact details: the audit trail records who and when (DOMAIN.md §9). */
export function contactViewedEntry(at: Date, actor: StaffMember): TimelineEntry {
  const when = iso(at);
  return {
    // Unique per reader and instant, outside the version sequence: a read never changes the case.
    entryId: `${when}#contact_viewed#${actor.sub}`,
    at: when,
    kind: 'contact_viewed',
    actor: actor.sub,
    message: 'Viewed the customer contact details',
    internal: true,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Customer actions

/** The customer adds information; a case waiting for them resumes and its work clocks run again. */
export function addCustomerMessage(
  supportCase: SupportCase,
  context: { at: Date; message: string },
): LifecycleDecision {
  if (!canApply(supportCase.status, 'customer_replied')) {
    throw new InvalidTransition(supportCase.status, 'add a message to');
  }
  const at = iso(context.at);
  const status = nextStatus(supportCase.status, 'customer_replied');
  const resumed =
    supportCase.status === 'awaiting_customer'
      ? withClocks(supportCase, resumeEach(workClocks, context.at))
      : supportCase;
  const entries = new EntrySequence(at);
  entries.add('customer_message', 'customer', context.message, false);
  addStatusChange(entries, supportCase, status, 'customer');
  return { supportCase: { ...resumed, status, updatedAt: at }, timeline: entries.list, notifications: [] };
}

/** The survey answer: only for a resolved or closed case, and once per case. */
export function giveFeedback(
  supportCase: SupportCase,
  context: { at: Date; score: number; nps?: number; comment?: string },
): LifecycleDecision {
  if (supportCase.status !== 'resolved' && supportCase.status !== 'closed') {
    throw new InvalidTransition(supportCase.status, 'give feedback on');
  }
  if (supportCase.feedback) throw new Conflict('Feedback was already given for this case');
  const at = iso(context.at);
  const feedback = {
    score: context.score,
    ...(context.nps !== undefined ? { nps: context.nps } : {}),
    ...(context.comment ? { comment: context.comment } : {}),
    at,
  };
  const entries = new EntrySequence(at);
  entries.add('feedback', 'customer', customerText(supportCase.customer.locale, 'feedback'), false, {
    score: feedback.score,
    ...(feedback.nps !== undefined ? { nps: feedback.nps } : {}),
  });
  return {
    supportCase: { ...supportCase, feedback, updatedAt: at },
    timeline: entries.list,
    notifications: [],
  };
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
): LifecycleDecision {
  if (!canApply(supportCase.status, 'appeal')) throw new InvalidTransition(supportCase.status, 'appeal');
  const windowDays = context.appealWindowDays ?? defaultAppealWindowDays;
  if (!canAppeal(supportCase.status, supportCase.resolvedAt ?? null, context.at, windowDays)) {
    throw new Conflict(`A case can be appealed within ${windowDays} days of its resolution`);
  }
  const at = iso(context.at);
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
  const entries = new EntrySequence(at);
  entries.add(
    'appealed',
    'customer',
    customerText(supportCase.customer.locale, 'appealed', {
      due: toShanghaiDate(new Date(appealClock.dueAt)),
    }),
    false,
    { reason: context.reason, appealCount: appealed.appealCount, dueAt: appealClock.dueAt },
  );
  const notifications: NotificationIntent[] = [];
  const escalate = (cause: 'appeal' | 'reopened', reason: string) => {
    const decision = escalateCase(appealed, {
      at: context.at,
      actor: 'system',
      reason,
      cause,
      teamLeads: context.teamLeads,
      eventKey: `${cause}.v${supportCase.version}`,
      sequence: entries.next(),
    });
    appealed = decision.supportCase;
    entries.list.push(...decision.timeline);
    notifications.push(...decision.notifications);
    return decision.escalated;
  };
  // The review belongs to a supervisor at least; a second appeal climbs one more level.
  let escalated = appealed.escalationLevel < 1 && escalate('appeal', 'The customer appealed the result');
  if (appealed.appealCount >= 2) {
    escalated = escalate('reopened', `Appealed ${appealed.appealCount} times`) || escalated;
  }
  if (!escalated && appealed.handler !== null) {
    entries.add('assigned', 'system', 'Back in the supervisors’ queue for the appeal review', true, {
      handler: null,
      previousHandler: appealed.handler,
      team: appealed.team,
      previousTeam: appealed.team,
      owner: appealed.owner,
    });
    appealed = { ...appealed, handler: null };
  }
  return { supportCase: { ...appealed, handlerEmail: undefined }, timeline: entries.list, notifications };
}

// ---------------------------------------------------------------------------------------------------------
// Intake: the delivery-time check (DOMAIN.md §5)

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
 * At intake, judge a delay report against the delivery commitment: the verdict goes on the timeline for
 * staff, and a delay past the complete-delay limit becomes a loss case (category `lost`, routed again;
 * a delivery complaint keeps its category and takes the priority of a loss). The acknowledgement then
 * states the deadlines that follow from it.
 */
export function applyDeliveryCheck(
  decision: IntakeDecision,
  context: { now: Date; sla: SlaSettings; commitments?: DeliveryCommitmentTable },
): IntakeDecision {
  const supportCase = decision.supportCase;
  if (!isDelayReport(supportCase) || !supportCase.shipment) return decision;
  const assessment = assessDelivery(
    supportCase.shipment,
    context.now,
    context.sla.calendar,
    context.commitments ?? defaultDeliveryCommitments,
  );
  if (!assessment) return decision;
  const at = iso(context.now);
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
      { ...supportCase, category, priority: asLoss.priority, updatedAt: at },
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
  const verdictText = {
    within_commitment: `Delivery check: within the commitment (due ${assessment.commitmentAt})`,
    delayed: `Delivery check: delay confirmed (committed by ${assessment.commitmentAt})`,
    lost: `Delivery check: past the complete-delay limit (${assessment.lostAfter}); treated as lost`,
  }[assessment.verdict];
  const entry: TimelineEntry = {
    entryId: entryIdAt(at, 3),
    at,
    kind: 'delivery_checked',
    actor: 'system',
    message: verdictText,
    internal: true,
    data: { ...assessment, ...conversion },
  };
  const notifications =
    checked === supportCase
      ? decision.notifications
      : decision.notifications.map((notification) =>
          notification.kind === 'acknowledgement'
            ? { ...notification, data: { ...notification.data, deadlines: checked.deadlines } }
            : notification,
        );
  return { supportCase: checked, timeline: [...decision.timeline, entry], notifications };
}

// ---------------------------------------------------------------------------------------------------------
// Compensation (DOMAIN.md §6)

/**
 * Where a proposed amount comes from: the policy's calculation for a situation (with the rule that produced
 * it), or an amount the agent agreed with the customer.
 */
export function proposeCompensation(
  input: { compensation?: Money; situation?: CompensationSituation },
  shipment: SupportCase['shipment'],
  policy: CompensationPolicy,
): ProposedCompensation | undefined {
  if (input.situation) {
    const proposal = computeCompensation(input.situation, shipment ?? {}, policy);
    return { amount: proposal.amount, rule: proposal.rule };
  }
  if (input.compensation) return { amount: input.compensation, rule: 'agreed amount' };
  return undefined;
}

function approveCompensation(
  proposed: ProposedCompensation | undefined,
  actor: StaffMember,
  policy: CompensationPolicy,
): SupportCase['compensation'] {
  if (!proposed) return undefined;
  const needsApproval = needsSupervisorApproval(proposed.amount, policy);
  if (needsApproval) assertMayDo(actor, 'approve_compensation');
  return {
    amount: proposed.amount.amount,
    currency: proposed.amount.currency,
    rule: proposed.rule,
    // Within the limit an agent decides alone; above it the supervisor who approved is on record.
    approvedBy: needsApproval ? actor.sub : null,
  };
}

function compensationForCustomer(compensation: NonNullable<SupportCase['compensation']>) {
  return { amount: compensation.amount, currency: compensation.currency, rule: compensation.rule };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function iso(at: Date): string {
  return at.toISOString();
}

/** Ids of what this action writes: the loaded version is unique per successful save. */
function eventKey(kind: string, supportCase: Pick<SupportCase, 'version'>): string {
  return `${kind}.v${supportCase.version}`;
}

function unchanged(supportCase: SupportCase): LifecycleDecision {
  return { supportCase, timeline: [], notifications: [] };
}

class EntrySequence {
  readonly list: TimelineEntry[] = [];
  readonly #at: string;
  #sequence = 0;

  constructor(at: string) {
    this.#at = at;
  }

  next(): number {
    this.#sequence += 1;
    return this.#sequence;
  }

  add(
    kind: TimelineKind,
    actor: string,
    message: string,
    internal: boolean,
    data?: Record<string, unknown>,
  ): void {
    this.list.push({
      entryId: entryIdAt(this.#at, this.next()),
      at: this.#at,
      kind,
      actor,
      message,
      internal,
      ...(data ? { data } : {}),
    });
  }
}

/** Work needs a taken case: an open case is taken by whoever acts on it first. */
function takeForWork(
  supportCase: SupportCase,
  actor: StaffMember,
  attempted: string,
  entries: EntrySequence,
): SupportCase {
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, attempted);
  if (supportCase.status === 'appealed') assertMayDo(actor, 'review_appeal');
  const status = nextStatus(supportCase.status, 'take');
  if (supportCase.handler !== null) {
    addStatusChange(entries, supportCase, status, actor.sub);
    return { ...supportCase, status };
  }
  const taken: SupportCase = {
    ...supportCase,
    status,
    handler: actor.sub,
    handlerEmail: actor.email,
    owner: supportCase.owner ?? actor.sub,
  };
  entries.add('assigned', actor.sub, assignmentText(supportCase, actor.sub, supportCase.team), true, {
    handler: actor.sub,
    previousHandler: null,
    team: supportCase.team,
    previousTeam: supportCase.team,
    owner: taken.owner,
  });
  addStatusChange(entries, supportCase, status, actor.sub);
  return taken;
}

function handlerEmailFor(
  supportCase: SupportCase,
  handler: string | null,
  actor: StaffMember,
): string | undefined {
  if (handler === null) return undefined;
  if (handler === actor.sub) return actor.email;
  return handler === supportCase.handler ? supportCase.handlerEmail : undefined;
}

function assignmentText(before: SupportCase, handler: string | null, team: Team): string {
  const parts: string[] = [];
  if (handler !== before.handler) parts.push(handler === null ? 'Handler cleared' : `Assigned to ${handler}`);
  if (team !== before.team) parts.push(`transferred from ${before.team} to ${team}`);
  return parts.join('; ') || `Assigned to ${handler}`;
}

function addStatusChange(
  entries: EntrySequence,
  before: SupportCase,
  status: SupportCase['status'],
  actor: string,
  reason?: string,
): void {
  if (status === before.status) return;
  const key =
    status === 'awaiting_customer'
      ? 'awaiting_customer'
      : before.status === 'appealed'
        ? 'review_started'
        : before.status === 'awaiting_customer'
          ? 'resumed'
          : 'in_progress';
  entries.add('status_changed', actor, customerText(before.customer.locale, key), false, {
    from: before.status,
    to: status,
    ...(reason ? { reason } : {}),
  });
}

type ClockUpdates = Partial<Record<ClockName, (clock: SlaClock) => SlaClock>>;

function withClocks(supportCase: SupportCase, updates: ClockUpdates): SupportCase {
  const clocks = { ...supportCase.clocks };
  for (const [name, update] of Object.entries(updates) as [ClockName, (clock: SlaClock) => SlaClock][]) {
    const clock = clocks[name];
    if (clock) clocks[name] = update(clock);
  }
  return refreshDeadlines({ ...supportCase, clocks });
}

function pauseEach(names: readonly ClockName[], at: Date): ClockUpdates {
  return Object.fromEntries(names.map((name) => [name, (clock: SlaClock) => pauseClock(clock, at)]));
}

function resumeEach(names: readonly ClockName[], at: Date): ClockUpdates {
  return Object.fromEntries(names.map((name) => [name, (clock: SlaClock) => resumeClock(clock, at)]));
}

/** New targets for the case's type, category and priority, keeping the time each clock already used. */
function retargetCaseClocks(supportCase: SupportCase, at: Date, sla: SlaSettings): SupportCase {
  const targets = clockTargetsFor(supportCase, sla.policy ?? defaultSlaPolicy);
  return withClocks(supportCase, {
    firstResponse: (clock) => retargetClock(clock, targets.firstResponse, at, sla.calendar),
    plan: (clock) => retargetClock(clock, targets.plan, at, sla.calendar),
    resolution: (clock) => retargetClock(clock, targets.resolution, at, sla.calendar),
  });
}

/** The deadlines shown to the customer follow the clocks (a pause or a new target moves them). */
function refreshDeadlines(supportCase: SupportCase): SupportCase {
  const { clocks, deadlines } = supportCase;
  return {
    ...supportCase,
    deadlines: {
      firstResponseDueAt: clocks.firstResponse?.dueAt ?? deadlines.firstResponseDueAt,
      planDueAt: clocks.plan?.dueAt ?? deadlines.planDueAt,
      resolutionDueAt: clocks.resolution?.dueAt ?? deadlines.resolutionDueAt,
      ...(clocks.appeal ? { appealDueAt: clocks.appeal.dueAt } : {}),
    },
  };
}

/** The survey goes by email when we have an address, else by SMS; the outbox holds it until it is due. */
function surveyNotification(supportCase: SupportCase, key: string, dispatchAt: string): NotificationIntent[] {
  return customerNotifications(supportCase, 'survey', key, {}, dispatchAt);
}
