import { describe, expect, it } from 'vitest';
import type { CaseType, Category, Priority } from '#domain/case-model';
import {
  appealTargetFor,
  atRiskShare,
  type ClockTarget,
  clockTargetsFor,
  defaultSlaPolicy,
  type SlaPolicy,
} from '#domain/sla-policy';

const hours = (amount: number): ClockTarget => ({ unit: 'hours', amount });
const workingDays = (amount: number): ClockTarget => ({ unit: 'workingDays', amount });
const calendarDays = (amount: number): ClockTarget => ({ unit: 'calendarDays', amount });

const aCase = (
  overrides: Partial<{ type: CaseType; category: Category; priority: Priority }> = {},
): { type: CaseType; category: Category; priority: Priority } => ({
  type: 'complaint',
  category: 'delivery',
  priority: 'normal',
  ...overrides,
});

describe('default targets', () => {
  it('gives a first response within 2 hours and a handling plan within 24', () => {
    const targets = clockTargetsFor(aCase());
    expect(targets.firstResponse).toEqual(hours(2));
    expect(targets.plan).toEqual(hours(24));
  });

  it.each<[CaseType, Category, ClockTarget]>([
    ['complaint', 'service', calendarDays(7)],
    ['complaint', 'privacy', calendarDays(7)],
    ['exception', 'damaged', hours(48)],
    ['exception', 'delayed', hours(48)],
    ['exception', 'lost', workingDays(3)],
    ['inquiry', 'tracking', hours(24)],
    ['suggestion', 'product', workingDays(3)],
    ['claim', 'lost', calendarDays(7)],
    ['claim', 'damaged', calendarDays(7)],
  ])('resolves a %s about %s within %o', (type, category, expected) => {
    expect(clockTargetsFor(aCase({ type, category })).resolution).toEqual(expected);
  });

  it('gives 15 calendar days to answer an appeal', () => {
    expect(appealTargetFor()).toEqual(calendarDays(15));
  });

  it('puts a clock at risk at 80 % of its target', () => {
    expect(atRiskShare).toBe(0.8);
    expect(defaultSlaPolicy.atRiskShare).toBe(0.8);
  });
});

describe('priority', () => {
  it('halves every hour target of an urgent case', () => {
    const targets = clockTargetsFor(aCase({ type: 'exception', category: 'damaged', priority: 'urgent' }));
    expect(targets).toEqual({ firstResponse: hours(1), plan: hours(12), resolution: hours(24) });
  });

  it('leaves calendar-day and working-day targets of an urgent case alone', () => {
    expect(clockTargetsFor(aCase({ priority: 'urgent' })).resolution).toEqual(calendarDays(7));
    expect(
      clockTargetsFor(aCase({ type: 'exception', category: 'lost', priority: 'urgent' })).resolution,
    ).toEqual(workingDays(3));
  });

  it('doubles only the first-response target of a low-priority case', () => {
    const targets = clockTargetsFor(aCase({ type: 'inquiry', category: 'price', priority: 'low' }));
    expect(targets).toEqual({ firstResponse: hours(4), plan: hours(24), resolution: hours(24) });
  });

  it('keeps the defaults for normal and high priority', () => {
    const subject = { type: 'inquiry', category: 'price' } as const;
    const expected = { firstResponse: hours(2), plan: hours(24), resolution: hours(24) };
    expect(clockTargetsFor(aCase({ ...subject, priority: 'normal' }))).toEqual(expected);
    expect(clockTargetsFor(aCase({ ...subject, priority: 'high' }))).toEqual(expected);
  });
});

describe('operator overrides', () => {
  const carrierPolicy: SlaPolicy = {
    ...defaultSlaPolicy,
    firstResponse: hours(1),
    resolution: {
      ...defaultSlaPolicy.resolution,
      claim: { default: calendarDays(7), byCategory: { delayed: workingDays(5) } },
    },
    appeal: calendarDays(10),
    priorityHourFactors: { ...defaultSlaPolicy.priorityHourFactors, urgent: { firstResponse: 0.25 } },
  };

  it('uses a carrier policy given as plain data', () => {
    expect(clockTargetsFor(aCase(), carrierPolicy).firstResponse).toEqual(hours(1));
    expect(clockTargetsFor(aCase({ type: 'claim', category: 'delayed' }), carrierPolicy).resolution).toEqual(
      workingDays(5),
    );
    expect(clockTargetsFor(aCase({ type: 'claim', category: 'lost' }), carrierPolicy).resolution).toEqual(
      calendarDays(7),
    );
    expect(appealTargetFor(carrierPolicy)).toEqual(calendarDays(10));
  });

  it('applies the carrier priority factors instead of the default ones', () => {
    const targets = clockTargetsFor(
      aCase({ type: 'inquiry', category: 'price', priority: 'urgent' }),
      carrierPolicy,
    );
    expect(targets).toEqual({ firstResponse: hours(0.25), plan: hours(24), resolution: hours(24) });
  });

  it('never changes the default policy while adjusting for priority', () => {
    clockTargetsFor(aCase({ priority: 'urgent' }));
    clockTargetsFor(aCase({ priority: 'low' }));
    expect(defaultSlaPolicy.firstResponse).toEqual(hours(2));
    expect(defaultSlaPolicy.plan).toEqual(hours(24));
  });
});
