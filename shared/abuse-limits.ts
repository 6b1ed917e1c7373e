// The abuse limits, as data: one declaration, validated by the one zod schema that the CDK app (context
// `abuseLimits`, checked at synth), the sandbox (`SANDBOX_LIMITS`) and every function (`ABUSE_LIMITS`,
// checked at cold start) read. The use cases enforce them with fixed-window counters (RateLimitStore).
import * as z from './zod.ts';

/** Every limit by name; the name is what a 429's `details` and the `RateLimited` metric's `limit` carry. */
export const limitNames = [
  'source_per_minute',
  'recipient_cases_per_hour',
  'recipient_cases_per_day',
  'recipient_messages_per_hour',
  'recipient_messages_per_day',
  'case_messages_per_day',
  'sms_per_month',
] as const;
export type LimitName = (typeof limitNames)[number];

const count = z.number().check(z.int(), z.gte(0), z.lte(1_000_000_000));

export const abuseLimitsSchema = z.strictObject({
  /** Submissions (`POST /cases`) per source IP per minute. */
  sourcePerMinute: count,
  /** New cases naming one recipient (keyed hash of email or phone) per hour and per day. */
  recipientCasesPerHour: count,
  recipientCasesPerDay: count,
  /** Customer messages (email or SMS) sent to one recipient per hour and per day. */
  recipientMessagesPerHour: count,
  recipientMessagesPerDay: count,
  /** Customer messages (`POST /cases/{id}/messages`) per case per day. */
  caseMessagesPerDay: count,
  /** The monthly SMS spend cap, in USD; the application's monthly SMS count derives from it. */
  smsMonthlySpendUsd: z.number().check(z.gte(0), z.lte(1_000_000)),
  /** What one SMS is budgeted at (USD, one segment to mainland China, with headroom). */
  smsPriceUsd: z.number().check(z.positive(), z.lte(10)),
  /** Waybills and contacts one incident declaration may name (`POST /agent/incidents`; 400 beyond). */
  incidentTrackingNumbers: count.check(z.lte(10_000)),
  incidentContacts: count.check(z.lte(10_000)),
});
export type AbuseLimits = z.infer<typeof abuseLimitsSchema>;

/** Production values: what a deployment gets unless its `abuseLimits` context says otherwise. */
export const productionLimits: AbuseLimits = {
  sourcePerMinute: 10,
  recipientCasesPerHour: 3,
  recipientCasesPerDay: 10,
  recipientMessagesPerHour: 10,
  recipientMessagesPerDay: 30,
  caseMessagesPerDay: 20,
  smsMonthlySpendUsd: 1_000,
  smsPriceUsd: 0.05,
  incidentTrackingNumbers: 10_000,
  incidentContacts: 10_000,
};

/** The sandbox: a developer's own bursts from loopback pass; per-recipient limits are production's. */
export const sandboxLimits: AbuseLimits = { ...productionLimits, sourcePerMinute: 1_000 };

/** Overrides (JSON, any subset of the keys) over a base; throws naming the bad key. */
export function parseLimits(overrides: unknown, base: AbuseLimits = productionLimits): AbuseLimits {
  const value = typeof overrides === 'string' ? (overrides.trim() ? JSON.parse(overrides) : {}) : overrides;
  const parsed = z.partial(abuseLimitsSchema).safeParse(value ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(limits)'}: ${issue.message}`,
    );
    throw new Error(`Invalid abuse limits: ${problems.join('; ')}`);
  }
  return { ...base, ...parsed.data };
}

/** The SMS a month may carry within the spend cap. */
export const smsPerMonth = (limits: AbuseLimits): number =>
  Math.floor(limits.smsMonthlySpendUsd / limits.smsPriceUsd);

export type LimitPeriod = 'minute' | 'hour' | 'day' | 'month';

export interface LimitWindow {
  name: LimitName;
  limit: number;
  per: LimitPeriod;
}

const periodOf: Record<LimitName, LimitPeriod> = {
  source_per_minute: 'minute',
  recipient_cases_per_hour: 'hour',
  recipient_cases_per_day: 'day',
  recipient_messages_per_hour: 'hour',
  recipient_messages_per_day: 'day',
  case_messages_per_day: 'day',
  sms_per_month: 'month',
};

/** Each limit's counter: its name, how many it allows, and its fixed window. */
export function limitWindow(limits: AbuseLimits, name: LimitName): LimitWindow {
  const limit: Record<LimitName, number> = {
    source_per_minute: limits.sourcePerMinute,
    recipient_cases_per_hour: limits.recipientCasesPerHour,
    recipient_cases_per_day: limits.recipientCasesPerDay,
    recipient_messages_per_hour: limits.recipientMessagesPerHour,
    recipient_messages_per_day: limits.recipientMessagesPerDay,
    case_messages_per_day: limits.caseMessagesPerDay,
    sms_per_month: smsPerMonth(limits),
  };
  return { name, limit: limit[name], per: periodOf[name] };
}

const periodMs: Record<Exclude<LimitPeriod, 'month'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** The fixed window `now` falls in (UTC; a month is the calendar month): its label and when it ends. */
export function windowAt(per: LimitPeriod, now: Date): { label: string; endsAt: Date } {
  if (per === 'month') {
    const endsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    return { label: now.toISOString().slice(0, 7), endsAt };
  }
  const start = Math.floor(now.getTime() / periodMs[per]) * periodMs[per];
  return { label: new Date(start).toISOString(), endsAt: new Date(start + periodMs[per]) };
}
