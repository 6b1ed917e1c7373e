// The sandbox's gateway and reserved concurrency let a fixed number of invocations run at once; the
// others wait their turn in order instead of starting (and timing out) together.
import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../../infra/sandbox/lambda-runtime.ts';

describe('a concurrency limit', () => {
  it('runs at most its limit at once, the rest first come first served, and reports when it is full', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return n;
    };
    expect(limit.full).toBe(false);
    const results = Promise.all([1, 2, 3, 4, 5].map((n) => limit.run(task(n))));
    expect(limit.full).toBe(true);
    expect(await results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(limit.full).toBe(false);
  });

  it('frees the slot of a task that failed', async () => {
    const limit = concurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});
