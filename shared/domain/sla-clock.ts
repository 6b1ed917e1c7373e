// One service-level clock of a case (DOMAIN.md §4). Pure functions over a plain object that is stored in
// DynamoDB and returned by the API as is; every instant is an ISO UTC string with milliseconds.
//
// Invariant while a clock runs or is paused: dueAt = startedAt + pausedMs + span of the target, and
// atRiskAt = startedAt + pausedMs + atRiskShare × span, where pausedMs counts closed pauses only.
// The due time is the first instant of breach: a clock is breached at dueAt, not one millisecond after,
// so a sweep that queries "due ≤ now" acts on every item it finds.

import type { BusinessCalendar } from './business-calendar.ts';
import { type ClockName, type ClockTarget, atRiskShare as defaultAtRiskShare } from './sla-policy.ts';

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

export interface SlaClock {
  name: ClockName;
  state: ClockState;
  target: ClockTarget;
  startedAt: string;
  dueAt: string;
  atRiskAt: string;
  pausedMs: number;
  pausedAt: string | null;
  metAt: string | null;
  breachedAt: string | null;
  atRisk: boolean;
  /** Present (true) when the due time counts working days of a provisional or missing calendar year. */
  approximate?: true;
}

export interface ClockChange {
  clock: SlaClock;
  changed: boolean;
}

export type ClockVerdict = 'ok' | 'at_risk' | 'breached';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

export function startClock(
  name: ClockName,
  target: ClockTarget,
  at: Date,
  calendar: BusinessCalendar,
  atRiskShare: number = defaultAtRiskShare,
): SlaClock {
  const startMs = msOf(at);
  const { spanMs, approximate } = targetSpan(target, at, calendar);
  return {
    name,
    state: 'running',
    target,
    startedAt: iso(startMs),
    dueAt: iso(startMs + spanMs),
    atRiskAt: iso(startMs + atRiskSpanMs(spanMs, atRiskShare)),
    pausedMs: 0,
    pausedAt: null,
    metAt: null,
    breachedAt: null,
    atRisk: false,
    ...(approximate ? { approximate } : {}),
  };
}

export function pauseClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.state !== 'running') return clock;
  return { ...clock, state: 'paused', pausedAt: iso(msOf(at)) };
}

export function resumeClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.state !== 'paused') return clock;
  return { ...closePause(clock, at), state: 'running' };
}

/**
 * Stops the clock because its goal was reached. An answer at or after the due time that the sweep has not
 * yet recorded is recorded as a breach, so compliance never depends on how often the sweep runs.
 */
export function meetClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.state === 'met') return clock;
  // Late answers still get metAt, so reports can measure how late they were.
  if (clock.state === 'breached') return clock.metAt ? clock : { ...clock, metAt: iso(msOf(at)) };
  const running = clock.state === 'paused' ? closePause(clock, at) : clock;
  const metMs = msOf(at);
  if (metMs >= Date.parse(running.dueAt)) {
    return { ...running, state: 'breached', breachedAt: running.dueAt, atRisk: true, metAt: iso(metMs) };
  }
  return { ...running, state: 'met', metAt: iso(metMs) };
}

/**
 * Applies a new target (priority or policy changed) while keeping the time already used: the new span is
 * measured from the original start, pushed later by every pause so far.
 */
export function retargetClock(
  clock: SlaClock,
  newTarget: ClockTarget,
  at: Date,
  calendar: BusinessCalendar,
  atRiskShare: number = defaultAtRiskShare,
): SlaClock {
  if (clock.state !== 'running' && clock.state !== 'paused') return clock;
  const atMs = msOf(at);
  // Fold an open pause into pausedMs and reopen it now, so resuming later adds only the rest of it.
  const { approximate: _previous, ...folded } =
    clock.state === 'paused' ? { ...closePause(clock, at), pausedAt: iso(atMs) } : clock;
  const startMs = Date.parse(clock.startedAt);
  const { spanMs, approximate } = targetSpan(newTarget, new Date(startMs), calendar);
  const baseMs = startMs + folded.pausedMs;
  const atRiskAtMs = baseMs + atRiskSpanMs(spanMs, atRiskShare);
  return {
    ...folded,
    target: newTarget,
    dueAt: iso(baseMs + spanMs),
    atRiskAt: iso(atRiskAtMs),
    // A longer target moves the at-risk point ahead of now; the handler is reminded again when it comes.
    atRisk: folded.atRisk && atMs >= atRiskAtMs,
    ...(approximate ? { approximate } : {}),
  };
}

export function markClockAtRisk(clock: SlaClock, at: Date): ClockChange {
  if (clock.state !== 'running' || clock.atRisk || msOf(at) < Date.parse(clock.atRiskAt)) {
    return { clock, changed: false };
  }
  return { clock: { ...clock, atRisk: true }, changed: true };
}

/** Paused clocks never breach: their due time moves when they resume. */
export function breachClock(clock: SlaClock, at: Date): ClockChange {
  if (clock.state !== 'running' || msOf(at) < Date.parse(clock.dueAt)) return { clock, changed: false };
  // Recorded at the due time rather than when the sweep noticed, so reports don't depend on sweep cadence.
  return { clock: { ...clock, state: 'breached', breachedAt: clock.dueAt, atRisk: true }, changed: true };
}

/** What the deadline sweep should do with this clock now. */
export function evaluateClock(clock: SlaClock, now: Date): ClockVerdict {
  if (clock.state !== 'running') return 'ok';
  const nowMs = msOf(now);
  if (nowMs >= Date.parse(clock.dueAt)) return 'breached';
  if (!clock.atRisk && nowMs >= Date.parse(clock.atRiskAt)) return 'at_risk';
  return 'ok';
}

/**
 * The earliest threshold still to act on among running clocks (may already be past if the sweep lags);
 * null when nothing runs, which keeps the case out of the sparse "what is due" index.
 */
export function nextClockCheckAt(clocks: readonly SlaClock[]): string | null {
  let earliestMs: number | null = null;
  for (const clock of clocks) {
    if (clock.state !== 'running') continue;
    const thresholdMs = Date.parse(clock.atRisk ? clock.dueAt : clock.atRiskAt);
    if (earliestMs === null || thresholdMs < earliestMs) earliestMs = thresholdMs;
  }
  return earliestMs === null ? null : iso(earliestMs);
}

/** Working time used so far, excluding pauses; it stops counting when the clock is met or paused. */
export function usedMs(clock: SlaClock, at: Date): number {
  const endMs =
    clock.state === 'paused' && clock.pausedAt
      ? Date.parse(clock.pausedAt)
      : clock.metAt
        ? Date.parse(clock.metAt)
        : msOf(at);
  return Math.max(0, endMs - Date.parse(clock.startedAt) - clock.pausedMs);
}

function closePause(clock: SlaClock, at: Date): SlaClock {
  if (clock.pausedAt === null) return clock;
  const pauseMs = msOf(at) - Date.parse(clock.pausedAt);
  if (pauseMs < 0)
    throw new RangeError(`Cannot resume ${clock.name} before it was paused (${clock.pausedAt})`);
  return {
    ...clock,
    pausedMs: clock.pausedMs + pauseMs,
    pausedAt: null,
    dueAt: iso(Date.parse(clock.dueAt) + pauseMs),
    atRiskAt: iso(Date.parse(clock.atRiskAt) + pauseMs),
  };
}

/** Hours and calendar days are exact; working days are approximate where the calendar is unsure of a year. */
function targetSpan(
  target: ClockTarget,
  from: Date,
  calendar: BusinessCalendar,
): { spanMs: number; approximate?: true } {
  if (!(target.amount > 0) || !Number.isFinite(target.amount)) {
    throw new RangeError(`A clock target must be a positive number of ${target.unit}, got ${target.amount}`);
  }
  switch (target.unit) {
    case 'hours':
      return { spanMs: Math.round(target.amount * hourMs) };
    case 'calendarDays':
      return { spanMs: Math.round(target.amount * dayMs) };
    case 'workingDays': {
      const span = calendar.countWorkingDays(from, target.amount);
      return {
        spanMs: span.end.getTime() - from.getTime(),
        ...(span.approximate ? { approximate: true as const } : {}),
      };
    }
  }
}

function atRiskSpanMs(spanMs: number, atRiskShare: number): number {
  return Math.round(spanMs * atRiskShare);
}

function msOf(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
