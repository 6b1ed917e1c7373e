import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '#adapters/retry-visibility';

describe('retry backoff', () => {
  it('doubles the wait with every receive, from the base up to the cap', () => {
    const backoff = { baseSeconds: 10, maxSeconds: 300 };
    expect([1, 2, 3, 4, 5, 6, 7].map((receives) => retryDelaySeconds(receives, backoff))).toEqual([
      10, 20, 40, 80, 160, 300, 300,
    ]);
  });

  it('never waits longer than the cap, however many receives', () => {
    expect(retryDelaySeconds(1_000, { baseSeconds: 1, maxSeconds: 2 })).toBe(2);
  });
});
