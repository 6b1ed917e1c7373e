// The clocks of a case and the deadlines shown from them (DOMAIN.md §4): started once on arrival, paused
// while waiting for the customer, moved to new targets when the case is routed again.
import type { BusinessCalendar } from '../business-calendar.ts';
import type { CaseType, Category, Priority } from '../case-model.ts';
import { pauseClock, resumeClock, retargetClock, type SlaClock, startClock } from '../sla-clock.ts';
import { type ClockName, clockTargetsFor, defaultSlaPolicy, type SlaPolicy } from '../sla-policy.ts';
import type { Deadlines, SupportCase } from '../support-case.ts';

export interface SlaSettings {
  calendar: BusinessCalendar;
  policy?: SlaPolicy;
}

export type OpeningClocks = Record<'firstResponse' | 'plan' | 'resolution', SlaClock>;

/** The clocks that measure work on the case; waiting for the customer pauses them, never firstResponse. */
export const workClocks: readonly ClockName[] = ['plan', 'resolution', 'appeal', 'appealRedo'];
export const allClocks: readonly ClockName[] = [
  'firstResponse',
  'plan',
  'resolution',
  'appeal',
  'parcelReturn',
  'transfer',
  'appealRedo',
];

export function startCaseClocks(
  subject: { type: CaseType; category: Category; priority: Priority },
  startedAt: Date,
  sla: SlaSettings,
): OpeningClocks {
  const targets = clockTargetsFor(subject, sla.policy ?? defaultSlaPolicy);
  return {
    firstResponse: startClock('firstResponse', targets.firstResponse, startedAt, sla.calendar),
    plan: startClock('plan', targets.plan, startedAt, sla.calendar),
    resolution: startClock('resolution', targets.resolution, startedAt, sla.calendar),
  };
}

export function deadlinesOf(clocks: OpeningClocks): Deadlines {
  return {
    firstResponseDueAt: clocks.firstResponse.dueAt,
    planDueAt: clocks.plan.dueAt,
    resolutionDueAt: clocks.resolution.dueAt,
  };
}

export type ClockUpdates = Partial<Record<ClockName, (clock: SlaClock) => SlaClock>>;

export function withClocks(supportCase: SupportCase, updates: ClockUpdates): SupportCase {
  const clocks = { ...supportCase.clocks };
  for (const [name, update] of Object.entries(updates) as [ClockName, (clock: SlaClock) => SlaClock][]) {
    const clock = clocks[name];
    if (clock) clocks[name] = update(clock);
  }
  return refreshDeadlines({ ...supportCase, clocks });
}

export function pauseEach(names: readonly ClockName[], at: Date): ClockUpdates {
  return Object.fromEntries(names.map((name) => [name, (clock: SlaClock) => pauseClock(clock, at)]));
}

export function resumeEach(names: readonly ClockName[], at: Date): ClockUpdates {
  return Object.fromEntries(names.map((name) => [name, (clock: SlaClock) => resumeClock(clock, at)]));
}

/** New targets for the case's type, category and priority, keeping the time each clock already used. */
export function retargetCaseClocks(supportCase: SupportCase, at: Date, sla: SlaSettings): SupportCase {
  const targets = clockTargetsFor(supportCase, sla.policy ?? defaultSlaPolicy);
  return withClocks(supportCase, {
    firstResponse: (clock) => retargetClock(clock, targets.firstResponse, at, sla.calendar),
    plan: (clock) => retargetClock(clock, targets.plan, at, sla.calendar),
    resolution: (clock) => retargetClock(clock, targets.resolution, at, sla.calendar),
  });
}

/** The deadlines shown to the customer follow the clocks (a pause or a new target moves them). */
export function refreshDeadlines(supportCase: SupportCase): SupportCase {
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
