// The processes the seeds add beside the complaint flow (README "Processes"): returns and re-sends with their
// own clocks, the transfer deadline, problem kinds with their own resolution target, force majeure as a cause,
// and the redo of an appeal answer. One pure function per action, each returning one CaseDecision.
import { beijingDate } from '../beijing-time.ts';
import { canApply, nextStatus } from '../case-status.ts';
import { Conflict, InvalidTransition } from '../errors.ts';
import { parcelReturnText, processText } from '../process-texts.ts';
import type { ParcelReturnKind, ProblemKind } from '../processes.ts';
import { meetClock, type SlaClock, startClock } from '../sla-clock.ts';
import { defaultSlaPolicy, type ProcessClockName, type SlaPolicy } from '../sla-policy.ts';
import { assertMayDo } from '../staff-permissions.ts';
import type { SupportCase } from '../support-case.ts';
import { type ClockUpdates, retargetCaseClocks, type SlaSettings, withClocks } from './case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder, unchanged } from './case-decision.ts';
import type { StaffActionContext } from './staff-actions.ts';

const policyOf = (sla: SlaSettings): SlaPolicy => sla.policy ?? defaultSlaPolicy;
/** The last local day a clock allows: a working-day clock is due at the midnight that ends it. */
const dueDay = (dueAt: string) => beijingDate(new Date(Date.parse(dueAt) - 1));
/** Not yet answered: running, paused, or breached and still waiting for the answer. */
const isOutstanding = (clock: SlaClock | undefined) => clock !== undefined && clock.metAt === null;

/** A process clock started now; it replaces one that ended before, so only the current one is stored. */
function withProcessClock(
  supportCase: SupportCase,
  name: ProcessClockName,
  target: SlaClock['target'],
  at: Date,
  sla: SlaSettings,
): SupportCase {
  const clock = startClock(name, target, at, sla.calendar, policyOf(sla).atRiskShare);
  return { ...supportCase, clocks: { ...supportCase.clocks, [name]: clock } };
}

function assertWorkable(supportCase: SupportCase, attempted: string): void {
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, attempted);
}

/** Returns and the wrong-address re-send (002 §3.4): the agent records one and its clock starts. */
export function startParcelReturn(
  supportCase: SupportCase,
  context: StaffActionContext & { kind: ParcelReturnKind; note?: string; sla: SlaSettings },
): CaseDecision {
  assertWorkable(supportCase, 'record a return on');
  if (isOutstanding(supportCase.clocks.parcelReturn)) {
    throw new Conflict('A return or re-send is already under way on this case; record it done first');
  }
  const decision = new CaseDecisionBuilder(context.at);
  const target = policyOf(context.sla).parcelReturn[context.kind];
  const started = withProcessClock(supportCase, 'parcelReturn', target, context.at, context.sla);
  const clock = started.clocks.parcelReturn as SlaClock;
  decision.add({
    kind: 'parcel_return',
    actor: context.actor.sub,
    message: parcelReturnText(supportCase.customer.locale, context.kind, dueDay(clock.dueAt)),
    internal: false,
    data: { kind: context.kind, dueAt: clock.dueAt, target, ...(context.note ? { note: context.note } : {}) },
  });
  return decision.decide({ ...started, parcelReturnKind: context.kind, updatedAt: decision.at });
}

/** The agent records the return or re-send done: its clock is met (or breached, if late). */
export function completeParcelReturn(
  supportCase: SupportCase,
  context: StaffActionContext & { note?: string },
): CaseDecision {
  const clock = supportCase.clocks.parcelReturn;
  if (!isOutstanding(clock)) throw new Conflict('No return or re-send is under way on this case');
  const decision = new CaseDecisionBuilder(context.at);
  const updated = withClocks(supportCase, { parcelReturn: (running) => meetClock(running, context.at) });
  decision.add({
    kind: 'parcel_return_done',
    actor: context.actor.sub,
    message: processText(supportCase.customer.locale, 'parcel_return_done'),
    internal: false,
    data: {
      kind: supportCase.parcelReturnKind,
      state: updated.clocks.parcelReturn?.state,
      ...(context.note ? { note: context.note } : {}),
    },
  });
  return decision.decide({ ...updated, updatedAt: decision.at });
}

/**
 * 转办时限 (003 §5.2(4)): handing the case to another team starts the transfer clock; a second transfer
 * starts it again for the new team. `before` is the case as loaded, `after` as the assignment leaves it.
 */
export function transferClockOnAssign(
  before: SupportCase,
  after: SupportCase,
  context: StaffActionContext & { sla?: SlaSettings },
): SupportCase {
  if (after.team !== before.team && context.sla) {
    return withProcessClock(after, 'transfer', policyOf(context.sla).transfer, context.at, context.sla);
  }
  // Someone taking the transferred case for themselves is the receiving team acting.
  if (after.handler === context.actor.sub && before.handler !== context.actor.sub) {
    return withClocks(after, transferMet(context.at));
  }
  return after;
}

/** The receiving team acted (took the case, replied, noted, planned, changed its status or resolved it). */
export function transferMet(at: Date): ClockUpdates {
  return { transfer: (clock) => meetClock(clock, at) };
}

/** 004 §2.4: a technical (72 h) or process (48 h) problem; the resolution clock takes its target. */
export function classifyProblem(
  supportCase: SupportCase,
  context: StaffActionContext & { problem: ProblemKind | null; sla: SlaSettings },
): CaseDecision {
  if (supportCase.status === 'received')
    throw new InvalidTransition(supportCase.status, 'classify the problem of');
  const problem = context.problem ?? undefined;
  if (problem === supportCase.problem) return unchanged(supportCase);
  const decision = new CaseDecisionBuilder(context.at);
  const { problem: _previous, ...rest } = supportCase;
  const updated = retargetCaseClocks(
    { ...rest, ...(problem ? { problem } : {}), updatedAt: decision.at },
    context.at,
    context.sla,
  );
  decision.add({
    kind: 'problem_classified',
    actor: context.actor.sub,
    message: problem ? `Classified as a ${problem} problem` : 'Problem kind cleared',
    internal: true,
    data: {
      problem: problem ?? null,
      previous: supportCase.problem ?? null,
      resolutionTarget: updated.clocks.resolution?.target,
      resolutionDueAt: updated.clocks.resolution?.dueAt,
    },
  });
  return decision.decide(updated);
}

/** Force majeure (不可抗力, 002 §3.1) recorded as the cause, or withdrawn; the customer sees either. */
export function recordCause(
  supportCase: SupportCase,
  context: StaffActionContext & { forceMajeure: boolean; reason: string },
): CaseDecision {
  if (supportCase.status === 'received')
    throw new InvalidTransition(supportCase.status, 'record the cause of');
  if (context.forceMajeure === (supportCase.forceMajeure === true)) return unchanged(supportCase);
  const decision = new CaseDecisionBuilder(context.at);
  const { forceMajeure: _previous, ...rest } = supportCase;
  decision.add({
    kind: 'cause_recorded',
    actor: context.actor.sub,
    message: processText(
      supportCase.customer.locale,
      context.forceMajeure ? 'force_majeure' : 'force_majeure_withdrawn',
    ),
    internal: false,
    data: { forceMajeure: context.forceMajeure, reason: context.reason },
  });
  return decision.decide({
    ...rest,
    ...(context.forceMajeure ? { forceMajeure: true as const } : {}),
    updatedAt: decision.at,
  });
}

/**
 * The answer to an appeal, on review, is found wanting and must be redone (邮政业消费者申诉处理办法: within
 * 5 days): the case goes back to the appeal review with a clock of its own. Only an answered appeal can be
 * redone, and only by a supervisor or manager.
 */
export function orderAppealRedo(
  supportCase: SupportCase,
  context: StaffActionContext & { reason: string; sla: SlaSettings },
): CaseDecision {
  assertMayDo(context.actor, 'review_appeal');
  const appeal = supportCase.clocks.appeal;
  if (!canApply(supportCase.status, 'appeal') || !appeal || isOutstanding(appeal)) {
    throw new InvalidTransition(supportCase.status, 'redo the appeal answer of');
  }
  const decision = new CaseDecisionBuilder(context.at);
  const { closedAt: _reopened, ...open } = supportCase;
  const status = nextStatus(supportCase.status, 'appeal');
  const redo = withProcessClock(
    open,
    'appealRedo',
    policyOf(context.sla).appealRedo,
    context.at,
    context.sla,
  );
  const clock = redo.clocks.appealRedo as SlaClock;
  decision.add({
    kind: 'appeal_redo',
    actor: context.actor.sub,
    message: processText(supportCase.customer.locale, 'appeal_redo', {
      due: dueDay(clock.dueAt),
    }),
    internal: false,
    data: { reason: context.reason, dueAt: clock.dueAt, from: supportCase.status, to: status },
  });
  return decision.decide({ ...redo, status, updatedAt: decision.at });
}
