// The stored clocks are an exact, smaller copy of the clocks the domain and the API see.
import { describe, expect, it } from 'vitest';
import { decodeClocks, encodeClocks } from '#adapters/compact-clocks';
import type { SlaClock } from '#domain/sla-clock';

const running: SlaClock = {
  name: 'firstResponse',
  state: 'running',
  target: { unit: 'hours', amount: 2 },
  startedAt: '2026-11-29T01:02:03.004Z',
  dueAt: '2026-11-29T03:02:03.004Z',
  atRiskAt: '2026-11-29T02:38:03.004Z',
  pausedMs: 0,
  pausedAt: null,
  metAt: null,
  breachedAt: null,
  atRisk: false,
};
const breached: SlaClock = {
  name: 'resolution',
  state: 'breached',
  target: { unit: 'workingDays', amount: 3 },
  startedAt: '2026-11-20T00:00:00.000Z',
  dueAt: '2026-11-25T10:00:00.999Z',
  atRiskAt: '2026-11-24T10:00:00.001Z',
  pausedMs: 7_261_001,
  pausedAt: '2026-11-26T00:00:00.000Z',
  metAt: null,
  breachedAt: '2026-11-25T10:00:01.000Z',
  atRisk: true,
};
const met: SlaClock = {
  ...running,
  name: 'appeal',
  state: 'met',
  target: { unit: 'calendarDays', amount: 15 },
  metAt: '2026-11-29T01:30:00.000Z',
};

describe('compact clocks', () => {
  it('round-trips every field of every state exactly', () => {
    const clocks = { firstResponse: running, resolution: breached, appeal: met };
    const stored = encodeClocks(clocks);
    expect(decodeClocks(stored)).toEqual(clocks);
    expect(stored.length).toBeLessThan(JSON.stringify(clocks).length / 3);
  });

  it('stores no clocks as an empty string and still reads items written with full clock objects', () => {
    expect(decodeClocks(encodeClocks({}))).toEqual({});
    expect(decodeClocks({ firstResponse: running })).toEqual({ firstResponse: running });
  });

  it('refuses an instant it could not give back unchanged', () => {
    expect(() => encodeClocks({ firstResponse: { ...running, dueAt: '2026-11-29T03:02:03Z' } })).toThrow(
      /Not an ISO instant/,
    );
  });
});
