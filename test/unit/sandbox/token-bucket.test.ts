import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../infra/sandbox/http-gateway.ts';

describe("the sandbox gateway's throttling", () => {
  it('lets a burst through, refuses the next request, and refills at the rate per second', () => {
    let now = 0;
    const bucket = tokenBucket({ rateLimit: 10, burstLimit: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true]);
    expect(bucket.take()).toBe(false);
    now += 100; // a tenth of a second at 10 per second: one more request
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});
