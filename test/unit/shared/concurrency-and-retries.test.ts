// Issue 12 §6: the notification lease outlasts every retry of its message, and the notification
// consumer's concurrency follows the account's send rates.
import { describe, expect, it } from 'vitest';
import {
  defaultSendRates,
  functions,
  maxConcurrencyOf,
  notificationConcurrency,
} from '../../../infra/catalogue.ts';
import {
  leaseCoveringRetriesMs,
  queueNamed,
  queues,
  retryDelaySeconds,
  wholeRetrySeconds,
} from '../../../shared/work-queues.ts';

const defaults = { baseSeconds: 10, maxSeconds: 300 };

describe('the notification lease', () => {
  it('spans every attempt to its timeout and every backoff wait: 5 × 30 s + 10 + 20 + 40 + 80 s by default', () => {
    expect(wholeRetrySeconds('notifications', defaults)).toBe(5 * 30 + 10 + 20 + 40 + 80);
    expect(leaseCoveringRetriesMs('notifications', defaults)).toBe((300 + 60) * 1000);
  });

  it('is longer than the whole backoff for any retry settings', () => {
    const { maxReceiveCount } = queueNamed('notifications');
    for (const backoff of [
      { baseSeconds: 0, maxSeconds: 0 },
      { baseSeconds: 1, maxSeconds: 2 },
      { baseSeconds: 10, maxSeconds: 300 },
      { baseSeconds: 60, maxSeconds: 43_200 },
    ]) {
      let waits = 0;
      for (let receive = 1; receive < maxReceiveCount; receive += 1)
        waits += retryDelaySeconds(receive, backoff);
      expect(leaseCoveringRetriesMs('notifications', backoff)).toBeGreaterThan(waits * 1000);
    }
  });
});

describe('queue trigger concurrency', () => {
  it('sizes the notification consumer to the slower send rate, never below Lambda’s floor of 2', () => {
    expect(notificationConcurrency(defaultSendRates, 10)).toBe(2);
    expect(notificationConcurrency({ emailPerSecond: 200, smsPerSecond: 100 }, 10)).toBe(5);
    expect(notificationConcurrency({ emailPerSecond: 200, smsPerSecond: 1000 }, 10)).toBe(10);
  });

  it('gives every queue consumer a maximum concurrency of at least 2, and the sweep a reserved concurrency of 1', () => {
    const consumers = functions.filter((fn) => fn.trigger.kind === 'queue');
    // One consumer per queue (the incident fan-out's too).
    expect(consumers).toHaveLength(queues.length);
    for (const fn of consumers) {
      if (fn.trigger.kind !== 'queue') continue;
      expect(maxConcurrencyOf(fn.trigger), fn.name).toBeGreaterThanOrEqual(2);
      expect(fn.timeoutSeconds, fn.name).toBe(queueNamed(fn.trigger.queue).consumerTimeoutSeconds);
    }
    const sweep = functions.find((fn) => fn.trigger.kind === 'schedule');
    expect(sweep?.reservedConcurrency).toBe(1);
  });
});
