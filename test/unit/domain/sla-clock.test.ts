import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import {
  breachClock,
  evaluateClock,
  markClockAtRisk,
  meetClock,
  nextClockCheckAt,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  usedMs,
} from '#domain/sla-clock';
import { type ClockName, type ClockTarget, clockTargetsFor } from '#domain/sla-policy';

/** An instant given as Asia/Shanghai wall-clock time, e.g. shanghai('2026-03-02 09:00'). */
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const iso = (local: string): string => shanghai(local).toISOString();
const minutes = (n: number): number => n * 60 * 1000;

const calendar = chinaBusinessCalendar();
const hours = (amount: number): ClockTarget => ({ unit: 'hours', amount });

const start = (target: ClockTarget, local: string, name: ClockName = 'resolution'): SlaClock =>
  startClock(name, target, shanghai(local), calendar);
/** First response, 2 hours, started Monday 2 March 2026 at 09:00. */
const firstResponseClock = (): SlaClock => start(hours(2), '2026-03-02 09:00', 'firstResponse');
/** Plan, 24 hours, started Monday 2 March 2026 at 09:00. */
const planClock = (): SlaClock => start(hours(24), '2026-03-02 09:00', 'plan');

describe('starting a clock', () => {
  it('is due after its hour target and at risk at 80 % of it', () => {
    expect(firstResponseClock()).toEqual({
      name: 'firstResponse',
      state: 'running',
      target: hours(2),
      startedAt: '2026-03-02T01:00:00.000Z',
      dueAt: '2026-03-02T03:00:00.000Z',
      atRiskAt: '2026-03-02T02:36:00.000Z',
      pausedMs: 0,
      pausedAt: null,
      metAt: null,
      breachedAt: null,
      atRisk: false,
    });
  });

  it('counts calendar days as whole 24-hour days, weekends and holidays included', () => {
    const complaint = start({ unit: 'calendarDays', amount: 7 }, '2026-09-30 10:00');
    expect(complaint.dueAt).toBe(iso('2026-10-07 10:00'));
    expect(complaint.atRiskAt).toBe(iso('2026-10-06 00:24'));
  });

  it('counts working days with the business calendar, skipping National Day', () => {
    // Oct 8, Oct 9 and the make-up Saturday Oct 10 are the three working days.
    const lostParcel = start({ unit: 'workingDays', amount: 3 }, '2026-09-30 10:00');
    expect(lostParcel.dueAt).toBe(iso('2026-10-11 00:00'));
    // 80 % of the 254 hours from start to due.
    expect(lostParcel.atRiskAt).toBe(iso('2026-10-08 21:12'));
  });

  it('rejects a target that is not a positive amount', () => {
    expect(() => start(hours(0), '2026-03-02 09:00')).toThrow(RangeError);
    expect(() => start(hours(Number.NaN), '2026-03-02 09:00')).toThrow(RangeError);
  });
});

describe('pausing and resuming', () => {
  it('moves the due time and the at-risk time later by the time spent paused', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 11:00'));
    expect(paused.state).toBe('paused');
    expect(paused.pausedAt).toBe(iso('2026-03-02 11:00'));

    const resumed = resumeClock(paused, shanghai('2026-03-02 15:00'));
    expect(resumed).toMatchObject({
      state: 'running',
      pausedAt: null,
      pausedMs: minutes(240),
      dueAt: iso('2026-03-03 13:00'),
      atRiskAt: iso('2026-03-03 08:12'),
    });
  });

  it('adds up several pauses', () => {
    let clock = planClock();
    clock = resumeClock(pauseClock(clock, shanghai('2026-03-02 10:00')), shanghai('2026-03-02 10:30'));
    clock = resumeClock(pauseClock(clock, shanghai('2026-03-02 12:00')), shanghai('2026-03-02 13:15'));
    expect(clock.pausedMs).toBe(minutes(105));
    expect(clock.dueAt).toBe(iso('2026-03-03 10:45'));
  });

  it('does not count paused time as time used', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 11:00'));
    expect(usedMs(paused, shanghai('2026-03-02 14:00'))).toBe(minutes(120));
    const resumed = resumeClock(paused, shanghai('2026-03-02 15:00'));
    expect(usedMs(resumed, shanghai('2026-03-02 16:00'))).toBe(minutes(180));
  });

  it('ignores a pause of a clock that is not running', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 11:00'));
    expect(pauseClock(paused, shanghai('2026-03-02 12:00'))).toBe(paused);
    const met = meetClock(planClock(), shanghai('2026-03-02 10:00'));
    expect(pauseClock(met, shanghai('2026-03-02 11:00'))).toBe(met);
    const breached = breachClock(firstResponseClock(), shanghai('2026-03-02 11:00')).clock;
    expect(pauseClock(breached, shanghai('2026-03-02 11:30'))).toBe(breached);
  });

  it('ignores a resume of a clock that is not paused', () => {
    const running = planClock();
    expect(resumeClock(running, shanghai('2026-03-02 11:00'))).toBe(running);
  });

  it('refuses to resume before the pause began', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 11:00'));
    expect(() => resumeClock(paused, shanghai('2026-03-02 10:59'))).toThrow(RangeError);
  });

  it('does not breach a clock that is paused over its due time', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 10:00'));
    const dayAfter = shanghai('2026-03-03 12:00');
    expect(evaluateClock(paused, dayAfter)).toBe('ok');
    expect(breachClock(paused, dayAfter)).toEqual({ clock: paused, changed: false });
    expect(markClockAtRisk(paused, dayAfter)).toEqual({ clock: paused, changed: false });

    // Paused for 26 hours, so the 24-hour clock with 1 hour used is now due 23 hours after resuming.
    const resumed = resumeClock(paused, dayAfter);
    expect(resumed.dueAt).toBe(iso('2026-03-04 11:00'));
    expect(evaluateClock(resumed, dayAfter)).toBe('ok');
  });
});

describe('at risk and breach', () => {
  it('is at risk from 80 % of the target, not a minute earlier', () => {
    const clock = firstResponseClock();
    expect(evaluateClock(clock, shanghai('2026-03-02 10:35'))).toBe('ok');
    expect(markClockAtRisk(clock, shanghai('2026-03-02 10:35')).changed).toBe(false);
    expect(evaluateClock(clock, shanghai('2026-03-02 10:36'))).toBe('at_risk');
  });

  it('marks a clock at risk once, however often the sweep runs', () => {
    const first = markClockAtRisk(firstResponseClock(), shanghai('2026-03-02 10:36'));
    expect(first.changed).toBe(true);
    expect(first.clock.atRisk).toBe(true);
    const second = markClockAtRisk(first.clock, shanghai('2026-03-02 10:40'));
    expect(second).toEqual({ clock: first.clock, changed: false });
    expect(evaluateClock(first.clock, shanghai('2026-03-02 10:40'))).toBe('ok');
  });

  it('is breached at 100 % of the target, not a minute earlier', () => {
    const atRisk = markClockAtRisk(firstResponseClock(), shanghai('2026-03-02 10:36')).clock;
    expect(evaluateClock(atRisk, shanghai('2026-03-02 10:59'))).toBe('ok');
    expect(breachClock(atRisk, shanghai('2026-03-02 10:59')).changed).toBe(false);
    expect(evaluateClock(atRisk, shanghai('2026-03-02 11:00'))).toBe('breached');
  });

  it('breaches the first-response clock once, however often the sweep runs', () => {
    const first = breachClock(firstResponseClock(), shanghai('2026-03-02 11:00'));
    expect(first.changed).toBe(true);
    expect(first.clock).toMatchObject({
      state: 'breached',
      breachedAt: iso('2026-03-02 11:00'),
      atRisk: true,
    });
    const second = breachClock(first.clock, shanghai('2026-03-02 11:05'));
    expect(second).toEqual({ clock: first.clock, changed: false });
    expect(evaluateClock(first.clock, shanghai('2026-03-02 11:05'))).toBe('ok');
  });

  it('reports a breach before an at-risk reminder when the sweep missed both', () => {
    expect(evaluateClock(firstResponseClock(), shanghai('2026-03-02 12:00'))).toBe('breached');
  });

  it('records the breach at the due time even when the sweep comes late', () => {
    const { clock } = breachClock(firstResponseClock(), shanghai('2026-03-02 11:47'));
    expect(clock.breachedAt).toBe(iso('2026-03-02 11:00'));
  });
});

describe('meeting a clock', () => {
  it('stops the clock when its goal is reached in time', () => {
    const met = meetClock(firstResponseClock(), shanghai('2026-03-02 10:20'));
    expect(met).toMatchObject({ state: 'met', metAt: iso('2026-03-02 10:20'), breachedAt: null });
    expect(usedMs(met, shanghai('2026-03-02 18:00'))).toBe(minutes(80));
    expect(evaluateClock(met, shanghai('2026-03-02 18:00'))).toBe('ok');
    expect(breachClock(met, shanghai('2026-03-02 18:00')).changed).toBe(false);
  });

  it('keeps the first time a clock was met', () => {
    const met = meetClock(firstResponseClock(), shanghai('2026-03-02 10:20'));
    expect(meetClock(met, shanghai('2026-03-02 10:50'))).toBe(met);
  });

  it('closes an open pause when a paused clock is met', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 11:00'));
    const met = meetClock(paused, shanghai('2026-03-02 16:00'));
    expect(met).toMatchObject({ state: 'met', pausedAt: null, pausedMs: minutes(300) });
    expect(usedMs(met, shanghai('2026-03-05 00:00'))).toBe(minutes(120));
  });

  it('keeps a breached clock breached when it is met late, and records when', () => {
    const breached = breachClock(firstResponseClock(), shanghai('2026-03-02 11:00')).clock;
    const answered = meetClock(breached, shanghai('2026-03-02 11:30'));
    expect(answered).toMatchObject({
      state: 'breached',
      breachedAt: iso('2026-03-02 11:00'),
      metAt: iso('2026-03-02 11:30'),
    });
    expect(usedMs(answered, shanghai('2026-03-02 18:00'))).toBe(minutes(150));
    expect(meetClock(answered, shanghai('2026-03-02 12:00'))).toBe(answered);
  });

  it('records a late answer as a breach even before the sweep has seen it', () => {
    const answered = meetClock(firstResponseClock(), shanghai('2026-03-02 11:10'));
    expect(answered).toMatchObject({
      state: 'breached',
      breachedAt: iso('2026-03-02 11:00'),
      metAt: iso('2026-03-02 11:10'),
      atRisk: true,
    });
  });
});

describe('changing the target', () => {
  it('keeps the time already used when a case becomes urgent', () => {
    const urgent = retargetClock(firstResponseClock(), hours(1), shanghai('2026-03-02 09:30'), calendar);
    expect(urgent).toMatchObject({
      state: 'running',
      target: hours(1),
      startedAt: iso('2026-03-02 09:00'),
      dueAt: iso('2026-03-02 10:00'),
      atRiskAt: iso('2026-03-02 09:48'),
    });
    expect(usedMs(urgent, shanghai('2026-03-02 09:30'))).toBe(minutes(30));
  });

  it('breaches at once when the shorter target has already run out', () => {
    const urgent = retargetClock(firstResponseClock(), hours(1), shanghai('2026-03-02 10:30'), calendar);
    expect(evaluateClock(urgent, shanghai('2026-03-02 10:30'))).toBe('breached');
  });

  it('keeps earlier pauses when the target changes', () => {
    let clock = planClock();
    clock = resumeClock(pauseClock(clock, shanghai('2026-03-02 10:00')), shanghai('2026-03-02 14:00'));
    const shorter = retargetClock(clock, hours(12), shanghai('2026-03-02 15:00'), calendar);
    expect(shorter.dueAt).toBe(iso('2026-03-03 01:00'));
    expect(shorter.pausedMs).toBe(minutes(240));
  });

  it('counts the open pause once when the target changes while paused', () => {
    const paused = pauseClock(planClock(), shanghai('2026-03-02 10:00'));
    const shorter = retargetClock(paused, hours(12), shanghai('2026-03-02 12:00'), calendar);
    expect(shorter).toMatchObject({
      state: 'paused',
      pausedMs: minutes(120),
      pausedAt: iso('2026-03-02 12:00'),
    });
    expect(shorter.dueAt).toBe(iso('2026-03-02 23:00'));

    const resumed = resumeClock(shorter, shanghai('2026-03-02 13:00'));
    expect(resumed).toMatchObject({ pausedMs: minutes(180), dueAt: iso('2026-03-03 00:00') });
    expect(usedMs(resumed, shanghai('2026-03-02 13:00'))).toBe(minutes(60));
  });

  it('reminds again when a longer target moves the at-risk time ahead', () => {
    const atRisk = markClockAtRisk(firstResponseClock(), shanghai('2026-03-02 10:40')).clock;
    const lowPriority = retargetClock(atRisk, hours(4), shanghai('2026-03-02 10:40'), calendar);
    expect(lowPriority).toMatchObject({
      dueAt: iso('2026-03-02 13:00'),
      atRiskAt: iso('2026-03-02 12:12'),
      atRisk: false,
    });
  });

  it('stays at risk when the new at-risk time has also passed', () => {
    const atRisk = markClockAtRisk(firstResponseClock(), shanghai('2026-03-02 10:40')).clock;
    const urgent = retargetClock(atRisk, hours(1.5), shanghai('2026-03-02 10:40'), calendar);
    expect(urgent.atRisk).toBe(true);
  });

  it('measures a working-day target from the original start', () => {
    const clock = start(hours(48), '2026-09-30 10:00');
    const lost = retargetClock(
      clock,
      { unit: 'workingDays', amount: 3 },
      shanghai('2026-10-01 09:00'),
      calendar,
    );
    expect(lost.dueAt).toBe(iso('2026-10-11 00:00'));
  });

  it('leaves met and breached clocks alone', () => {
    const met = meetClock(firstResponseClock(), shanghai('2026-03-02 10:00'));
    expect(retargetClock(met, hours(1), shanghai('2026-03-02 10:30'), calendar)).toBe(met);
    const breached = breachClock(firstResponseClock(), shanghai('2026-03-02 11:00')).clock;
    expect(retargetClock(breached, hours(4), shanghai('2026-03-02 11:30'), calendar)).toBe(breached);
  });
});

describe('next check time for the deadline index', () => {
  it('is the earliest at-risk time among running clocks', () => {
    const plan = planClock();
    const firstResponse = firstResponseClock();
    expect(nextClockCheckAt([plan, firstResponse])).toBe(iso('2026-03-02 10:36'));
  });

  it('moves on to the due time once a clock is marked at risk', () => {
    const atRisk = markClockAtRisk(firstResponseClock(), shanghai('2026-03-02 10:36')).clock;
    expect(nextClockCheckAt([atRisk, planClock()])).toBe(iso('2026-03-02 11:00'));
  });

  it('ignores paused, met and breached clocks', () => {
    const paused = pauseClock(firstResponseClock(), shanghai('2026-03-02 09:10'));
    const met = meetClock(start(hours(1), '2026-03-02 09:00', 'firstResponse'), shanghai('2026-03-02 09:10'));
    const breached = breachClock(start(hours(1), '2026-03-02 08:00'), shanghai('2026-03-02 09:00')).clock;
    expect(nextClockCheckAt([paused, met, breached, planClock()])).toBe(iso('2026-03-03 04:12'));
  });

  it('is null when no clock runs, so the case leaves the index', () => {
    expect(nextClockCheckAt([])).toBeNull();
    expect(nextClockCheckAt([pauseClock(planClock(), shanghai('2026-03-02 10:00'))])).toBeNull();
  });
});

describe('working-day clocks around the 2026 holidays, to the minute', () => {
  const workingDays = (amount: number): ClockTarget => ({ unit: 'workingDays', amount });

  it('counts the make-up Saturday before Spring Festival, then waits out the nine days off', () => {
    // Friday 13 Feb 16:00 + 3 working days: Sat 14 Feb (make-up), Tue 24, Wed 25 → due Thu 26 Feb 00:00.
    const suggestion = start(workingDays(3), '2026-02-13 16:00');
    expect(suggestion.dueAt).toBe(iso('2026-02-26 00:00'));
    // 80 % of the 296 hours: 236 h 48 min after the start.
    expect(suggestion.atRiskAt).toBe(iso('2026-02-23 12:48'));
    expect(evaluateClock(suggestion, shanghai('2026-02-23 12:47'))).toBe('ok');
    expect(evaluateClock(suggestion, shanghai('2026-02-23 12:48'))).toBe('at_risk');
    const atRisk = markClockAtRisk(suggestion, shanghai('2026-02-23 12:48')).clock;
    expect(evaluateClock(atRisk, shanghai('2026-02-25 23:59'))).toBe('ok');
    expect(evaluateClock(atRisk, shanghai('2026-02-26 00:00'))).toBe('breached');
  });

  it('counts the make-up Saturday after Labour Day', () => {
    // Thursday 7 May 10:00 + 3: Fri 8, Sat 9 (make-up), Mon 11 → due Tue 12 May 00:00.
    const lostParcel = start(workingDays(3), '2026-05-07 10:00');
    expect(lostParcel.dueAt).toBe(iso('2026-05-12 00:00'));
    // 80 % of 110 hours is 88 hours.
    expect(lostParcel.atRiskAt).toBe(iso('2026-05-11 02:00'));
  });

  it('does not count the Labour Day holiday before it', () => {
    // Thursday 30 April 10:00 + 3: the holiday runs 1–5 May, so Wed 6, Thu 7, Fri 8 → due Sat 9 May 00:00.
    expect(start(workingDays(3), '2026-04-30 10:00').dueAt).toBe(iso('2026-05-09 00:00'));
  });

  it('adds a pause over National Day as the wall-clock time it lasted', () => {
    const clock = start(workingDays(3), '2026-09-29 10:00');
    // Sep 30, Oct 8, Oct 9 → due Oct 10 00:00 before any pause.
    expect(clock.dueAt).toBe(iso('2026-10-10 00:00'));
    const resumed = resumeClock(
      pauseClock(clock, shanghai('2026-09-30 18:00')),
      shanghai('2026-10-08 09:00'),
    );
    expect(resumed.pausedMs).toBe(minutes((7 * 24 + 15) * 60));
    expect(resumed.dueAt).toBe(iso('2026-10-17 15:00'));
  });
});

describe('clocks that rest on an uncertain calendar year', () => {
  const workingDays = (amount: number): ClockTarget => ({ unit: 'workingDays', amount });

  it('marks a working-day clock approximate when it counts days of the provisional 2027', () => {
    const clock = start(workingDays(3), '2026-12-30 10:00');
    // Dec 31, then Jan 1–3 2027 off: Jan 4 and 5.
    expect(clock.dueAt).toBe(iso('2027-01-06 00:00'));
    expect(clock.approximate).toBe(true);
  });

  it('falls back to weekends only past the last year with data, and marks the clock approximate', () => {
    const clock = start(workingDays(3), '2027-12-29 10:00');
    expect(clock.dueAt).toBe(iso('2028-01-04 00:00'));
    expect(clock.approximate).toBe(true);
  });

  it('never marks hour or calendar-day clocks, nor working days within official years', () => {
    expect(start(hours(48), '2027-12-30 10:00')).not.toHaveProperty('approximate');
    expect(start({ unit: 'calendarDays', amount: 7 }, '2027-12-30 10:00')).not.toHaveProperty('approximate');
    expect(start(workingDays(3), '2026-09-30 10:00')).not.toHaveProperty('approximate');
  });

  it('decides again when the target changes', () => {
    const exact = start(hours(48), '2027-12-30 10:00');
    const lost = retargetClock(exact, workingDays(3), shanghai('2027-12-30 12:00'), calendar);
    expect(lost.approximate).toBe(true);
    const back = retargetClock(lost, hours(48), shanghai('2027-12-30 13:00'), calendar);
    expect(back).not.toHaveProperty('approximate');
  });
});

describe('priority changes through the policy, to the minute', () => {
  it('keeps the time used when a complaint becomes urgent: every hour target halves, calendar days stay', () => {
    const receivedAt = '2026-03-02 09:00';
    const normal = clockTargetsFor({ type: 'complaint', category: 'delivery', priority: 'normal' });
    const urgent = clockTargetsFor({ type: 'complaint', category: 'delivery', priority: 'urgent' });
    const raisedAt = shanghai('2026-03-02 09:30');
    const firstResponse = retargetClock(
      start(normal.firstResponse, receivedAt, 'firstResponse'),
      urgent.firstResponse,
      raisedAt,
      calendar,
    );
    const plan = retargetClock(start(normal.plan, receivedAt, 'plan'), urgent.plan, raisedAt, calendar);
    const resolution = retargetClock(
      start(normal.resolution, receivedAt),
      urgent.resolution,
      raisedAt,
      calendar,
    );
    expect([firstResponse.dueAt, firstResponse.atRiskAt]).toEqual([
      iso('2026-03-02 10:00'),
      iso('2026-03-02 09:48'),
    ]);
    expect([plan.dueAt, plan.atRiskAt]).toEqual([iso('2026-03-02 21:00'), iso('2026-03-02 18:36')]);
    expect(resolution.dueAt).toBe(iso('2026-03-09 09:00'));
  });

  it('gives a low-priority inquiry twice the time for a first response', () => {
    const low = clockTargetsFor({ type: 'inquiry', category: 'price', priority: 'low' });
    const clock = start(low.firstResponse, '2026-03-02 09:00', 'firstResponse');
    expect(clock.dueAt).toBe(iso('2026-03-02 13:00'));
    expect(evaluateClock(clock, shanghai('2026-03-02 12:11'))).toBe('ok');
    expect(evaluateClock(clock, shanghai('2026-03-02 12:12'))).toBe('at_risk');
  });
});
