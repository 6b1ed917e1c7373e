// Issue 12 §6: the notification lease outlasts every retry of its message, and the notification
// consumer's concurrency follows the account's send rates.
import { describe, expect, it } from 'vitest';
import {
  defaultSendRates,
  functions,
  intakeConcurrency,
  queueSizing,
  sendingSizing,
} from '../../../infra/catalogue.ts';
import {
  leaseCoveringRetriesMs,
  queueNamed,
  queueNames,
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
  it('sizes each sending consumer’s batch and concurrency to its own rate, never below Lambda’s floor of 2', () => {
    // Full batches of 10 in about 0.5 s: 20 messages a second per invocation.
    expect(sendingSizing(1000)).toEqual({ batchSize: 10, maxConcurrency: 50 });
    expect(sendingSizing(200)).toEqual({ batchSize: 10, maxConcurrency: 10 });
    expect(sendingSizing(100)).toEqual({ batchSize: 10, maxConcurrency: 5 });
    // Small rates: smaller batches, so Lambda's floor of 2 invocations stays within the rate.
    expect(sendingSizing(14)).toEqual({ batchSize: 3, maxConcurrency: 2 });
    expect(sendingSizing(10)).toEqual({ batchSize: 2, maxConcurrency: 2 });
    expect(sendingSizing(1)).toEqual({ batchSize: 1, maxConcurrency: 2 });
    // Lambda's ceiling for an event source.
    expect(sendingSizing(1_000_000).maxConcurrency).toBe(1000);
    for (const rate of [4, 14, 40, 100, 333, 1000, 14_000]) {
      const { batchSize, maxConcurrency } = sendingSizing(rate);
      expect(maxConcurrency * (batchSize / 0.5), String(rate)).toBeLessThanOrEqual(rate);
    }
  });

  it('sizes email and SMS apart: a slow SMS rate does not cap email', () => {
    const consumer = (name: string) => {
      const fn = functions.find((candidate) => candidate.name === name);
      if (fn?.trigger.kind !== 'queue') throw new Error(`${name} is not a queue consumer`);
      return fn.trigger;
    };
    const rates = { emailPerSecond: 1000, smsPerSecond: 10 };
    expect(consumer('NotificationConsumer').queue).toBe('notifications');
    expect(consumer('SmsNotificationConsumer').queue).toBe('smsNotifications');
    expect(queueSizing(consumer('NotificationConsumer'), rates)).toEqual(sendingSizing(1000));
    expect(queueSizing(consumer('SmsNotificationConsumer'), rates)).toEqual(sendingSizing(10));
    expect(queueSizing(consumer('NotificationConsumer'))).toEqual(
      sendingSizing(defaultSendRates.emailPerSecond),
    );
  });

  it('sizes intake from the expected peak the key design is sized for', () => {
    expect(intakeConcurrency(10, 1150)).toBe(115);
    expect(intakeConcurrency(10, 10)).toBe(2);
    const intake = functions.find((fn) => fn.name === 'IntakeConsumer');
    if (intake?.trigger.kind !== 'queue') throw new Error('IntakeConsumer is not a queue consumer');
    expect(queueSizing(intake.trigger).maxConcurrency).toBe(intakeConcurrency(intake.trigger.batchSize));
  });

  it('gives every queue consumer a maximum concurrency of at least 2, and the sweep a reserved concurrency of 1', () => {
    const consumers = functions.filter((fn) => fn.trigger.kind === 'queue');
    // One consumer per queue.
    expect(consumers).toHaveLength(queueNames.length);
    for (const fn of consumers) {
      if (fn.trigger.kind !== 'queue') continue;
      expect(queueSizing(fn.trigger).maxConcurrency, fn.name).toBeGreaterThanOrEqual(2);
      expect(fn.timeoutSeconds, fn.name).toBe(queueNamed(fn.trigger.queue).consumerTimeoutSeconds);
    }
    const sweep = functions.find((fn) => fn.trigger.kind === 'schedule');
    expect(sweep?.reservedConcurrency).toBe(1);
  });
});
