import { describe, expect, it } from 'vitest';
import { beijingDate, beijingMidnight, fromBeijingWallClock, toBeijingWallClock } from '#domain/beijing-time';

describe('Beijing time', () => {
  it('reads the local date eight hours ahead of UTC', () => {
    expect(beijingDate(new Date('2026-03-02T15:59:59.999Z'))).toBe('2026-03-02');
    expect(beijingDate(new Date('2026-03-02T16:00:00.000Z'))).toBe('2026-03-03');
  });

  it('keeps the same date across the year: no daylight saving', () => {
    expect(beijingDate(new Date('2026-07-01T16:00:00.000Z'))).toBe('2026-07-02');
    expect(beijingDate(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
  });

  it('puts local midnight at 16:00 UTC the day before', () => {
    expect(beijingMidnight('2026-10-09').toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(beijingDate(beijingMidnight('2026-10-09'))).toBe('2026-10-09');
  });

  it('rejects strings that are not calendar dates', () => {
    expect(() => beijingMidnight('2026-02-30')).toThrow(RangeError);
    expect(() => beijingMidnight('2026-9-1')).toThrow(RangeError);
    expect(() => beijingDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('reads wall-clock fields in Beijing and turns them back into the same instant', () => {
    const instant = new Date('2026-11-23T13:30:00.000Z');
    const wallClock = toBeijingWallClock(instant);
    expect([wallClock.getUTCHours(), wallClock.getUTCMinutes()]).toEqual([21, 30]);
    expect(fromBeijingWallClock(wallClock)).toEqual(instant);
  });
});
