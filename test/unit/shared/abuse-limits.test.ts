import { describe, expect, it } from 'vitest';
import {
  limitWindow,
  parseLimits,
  productionLimits,
  sandboxLimits,
  smsPerMonth,
  windowAt,
} from '#shared/abuse-limits';

describe('abuse limits as data', () => {
  it('keep production per-recipient values in the sandbox and let a 300-case loopback burst through', () => {
    expect(sandboxLimits.sourcePerMinute).toBeGreaterThanOrEqual(300);
    expect({ ...sandboxLimits, sourcePerMinute: 0 }).toEqual({ ...productionLimits, sourcePerMinute: 0 });
  });

  it('take overrides as JSON or object over a base, and name an unknown or bad key', () => {
    expect(parseLimits('')).toEqual(productionLimits);
    expect(parseLimits('{"caseMessagesPerDay":5}').caseMessagesPerDay).toBe(5);
    expect(parseLimits({ sourcePerMinute: 2 }, sandboxLimits)).toEqual({
      ...sandboxLimits,
      sourcePerMinute: 2,
    });
    expect(() => parseLimits({ perIp: 2 })).toThrow(/perIp/);
    expect(() => parseLimits({ sourcePerMinute: 1.5 })).toThrow(/sourcePerMinute/);
  });

  it('derive the monthly SMS count from the spend cap', () => {
    expect(smsPerMonth(productionLimits)).toBe(20_000);
    expect(limitWindow({ ...productionLimits, smsMonthlySpendUsd: 1 }, 'sms_per_month')).toEqual({
      name: 'sms_per_month',
      limit: 20,
      per: 'month',
    });
  });

  it('cut fixed UTC windows, the month by the calendar', () => {
    const now = new Date('2026-02-28T23:59:30.000Z');
    expect(windowAt('minute', now)).toEqual({
      label: '2026-02-28T23:59:00.000Z',
      endsAt: new Date('2026-03-01T00:00:00.000Z'),
    });
    expect(windowAt('hour', now).label).toBe('2026-02-28T23:00:00.000Z');
    expect(windowAt('day', now).label).toBe('2026-02-28T00:00:00.000Z');
    expect(windowAt('month', now)).toEqual({
      label: '2026-02',
      endsAt: new Date('2026-03-01T00:00:00.000Z'),
    });
    expect(windowAt('month', new Date('2026-12-15T00:00:00Z')).endsAt).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
  });
});
