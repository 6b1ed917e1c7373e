import { describe, expect, it } from 'vitest';
import { parseAsOf, recentPastTimestamp } from '#events/common';
import { submitCaseRequestSchema } from '#events/customer-api';
import { aComplaint } from '../../support/factories.ts';

const now = new Date('2026-06-15T04:00:00.000Z');
const messagesFor = (value: string, at: Date = now) => {
  const parsed = parseAsOf(recentPastTimestamp, value, at);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('a recent past timestamp', () => {
  it('accepts the last year up to the request time, and a client clock up to five minutes ahead', () => {
    expect(messagesFor('2025-06-15T04:00:00.000Z')).toEqual([]);
    expect(messagesFor('2026-06-15T04:05:00.000Z')).toEqual([]);
  });

  it('refuses a time in the future and one more than a year before the request', () => {
    expect(messagesFor('2026-06-15T04:05:00.001Z')).toEqual(['Must not be in the future']);
    expect(messagesFor('2025-06-15T03:59:59.999Z')).toEqual(['Must be within the last year']);
  });

  it('measures from the time it is given, not from the machine clock', () => {
    const later = new Date('2030-01-01T00:00:00.000Z');
    expect(messagesFor('2026-06-15T04:00:00.000Z', later)).toEqual(['Must be within the last year']);
  });

  it('checks only the format when parsed outside a request', () => {
    expect(recentPastTimestamp.safeParse('2001-01-01T00:00:00.000Z').success).toBe(true);
    expect(recentPastTimestamp.safeParse('yesterday').success).toBe(false);
  });

  it('names the field in a submitted case', () => {
    const body = aComplaint({ shipment: { shippedAt: '2027-01-01T00:00:00.000Z' } });
    const parsed = parseAsOf(submitCaseRequestSchema, body, now);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['shipment.shippedAt']);
  });
});
