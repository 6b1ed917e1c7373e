import { describe, expect, it } from 'vitest';
import { consumerOf, queueSizing } from '../../../infra/catalogue.ts';
import { parseSendRates } from '../../../infra/sandbox/sandbox.ts';

describe('SANDBOX_SEND_RATES', () => {
  it('reads email:sms per second, and nothing when unset', () => {
    expect(parseSendRates('1000:100')).toEqual({ emailPerSecond: 1000, smsPerSecond: 100 });
    expect(parseSendRates(undefined)).toBeUndefined();
    expect(parseSendRates('')).toBeUndefined();
  });

  it('refuses what is not two positive rates, naming the variable', () => {
    for (const text of ['1000', '0:10', 'fast:slow', '-5:10']) {
      expect(() => parseSendRates(text)).toThrow(/SANDBOX_SEND_RATES/);
    }
  });

  it('sizes the email consumer as a deployment with those rates would be', () => {
    const email = consumerOf('notifications');
    if (email?.trigger.kind !== 'queue') throw new Error('The notifications queue has no consumer');
    const atNewAccount = queueSizing(email.trigger);
    const raised = queueSizing(email.trigger, parseSendRates('1000:100'));
    expect(raised.batchSize).toBeGreaterThan(atNewAccount.batchSize);
    expect(raised.maxConcurrency).toBeGreaterThan(atNewAccount.maxConcurrency);
  });
});
