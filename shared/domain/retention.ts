// The personal-data lifecycle (DOMAIN.md §9, API.md "Lifecycle"): a resolved case left alone closes after a
// quiet period; one year after it closed its personal data is anonymised; five years after, it is deleted.
// Pure: every rule takes the time it is asked at.

import { allClocks, withClocks } from './case/case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder } from './case/case-decision.ts';
import { nextStatus } from './case-status.ts';
import { maskFreeText, maskName } from './masking.ts';
import { meetClock, type SlaClock } from './sla-clock.ts';
import type { NotificationIntent, SupportCase, TimelineEntry } from './support-case.ts';
import { customerText } from './timeline-texts.ts';

/** The operator's retention policy; the durations are data so a policy store can move them later. */
export interface RetentionPolicy {
  /** A resolved case with nothing new for this long is closed. */
  quietPeriodDays: number;
  /** Personal data is anonymised this many years after the case closed (the appeal window). */
  anonymiseAfterYears: number;
  /** The anonymised record is deleted this many years after the case closed (004 §6.1). */
  deleteAfterYears: number;
}

export const defaultRetentionPolicy: RetentionPolicy = {
  quietPeriodDays: 7,
  anonymiseAfterYears: 1,
  deleteAfterYears: 5,
};

export type RetentionStep = 'close' | 'anonymise' | 'delete';

const dayMs = 86_400_000;

/** Calendar years in UTC: 2026-03-01 + 1 year is 2027-03-01; 29 February moves to 1 March. */
export function addYears(instant: string, years: number): string {
  const date = new Date(instant);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString();
}

export function addDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * dayMs).toISOString();
}

/**
 * The case's next lifecycle step, the moment its waiting started (`since`) and when it is due, or undefined
 * when none is (the case is still being worked on). A resolved case is quiet from its last change
 * (`updatedAt`): an appeal moves it out of `resolved`, and a customer message or answer changes it, so
 * either starts the quiet period again. `since` does not depend on the policy, so an index keyed by it
 * stays right when an operator changes a window; the job asks for entries older than the window.
 */
export function nextRetentionStep(
  supportCase: Pick<SupportCase, 'status' | 'updatedAt' | 'closedAt' | 'anonymisedAt'>,
  policy: RetentionPolicy = defaultRetentionPolicy,
): { step: RetentionStep; since: string; dueAt: string } | undefined {
  if (supportCase.status === 'resolved') {
    const since = supportCase.updatedAt;
    return { step: 'close', since, dueAt: addDays(since, policy.quietPeriodDays) };
  }
  if (supportCase.status !== 'closed' || !supportCase.closedAt) return undefined;
  const since = supportCase.closedAt;
  if (!supportCase.anonymisedAt) {
    return { step: 'anonymise', since, dueAt: addYears(since, policy.anonymiseAfterYears) };
  }
  return { step: 'delete', since, dueAt: addYears(since, policy.deleteAfterYears) };
}

export const retentionSteps: readonly RetentionStep[] = ['close', 'anonymise', 'delete'];

/** For each step, the latest `since` that makes it due at `now`. */
export function retentionCutoffs(now: Date, policy: RetentionPolicy): Record<RetentionStep, string> {
  const at = now.toISOString();
  return {
    close: addDays(at, -policy.quietPeriodDays),
    anonymise: addYears(at, -policy.anonymiseAfterYears),
    delete: addYears(at, -policy.deleteAfterYears),
  };
}

/** The step due at `now`, if any. */
export function dueRetentionStep(
  supportCase: SupportCase,
  now: Date,
  policy: RetentionPolicy = defaultRetentionPolicy,
): RetentionStep | undefined {
  const next = nextRetentionStep(supportCase, policy);
  return next && Date.parse(next.dueAt) <= now.getTime() ? next.step : undefined;
}

/** The quiet period is over: the case closes, by `system`. */
export function closeQuietCase(
  supportCase: SupportCase,
  at: Date,
  policy: RetentionPolicy = defaultRetentionPolicy,
): CaseDecision {
  const status = nextStatus(supportCase.status, 'close');
  const decision = new CaseDecisionBuilder(at);
  decision.add({
    kind: 'closed',
    actor: 'system',
    message: customerText(supportCase.customer.locale, 'auto_closed', {
      days: String(policy.quietPeriodDays),
    }),
    internal: false,
    data: { reason: 'quiet_period', quietPeriodDays: policy.quietPeriodDays },
  });
  return decision.decide({ ...supportCase, status, closedAt: decision.at, updatedAt: decision.at });
}

/** Statuses in which a case is still being worked on, so an erasure withdraws it first. */
export const withdrawableStatuses: readonly SupportCase['status'][] = [
  'received',
  'open',
  'in_progress',
  'awaiting_customer',
  'appealed',
];

/**
 * The customer withdraws an open case (their erasure request): it is resolved at once, its clocks stop
 * as met, and nothing is sent about it (the erasure confirmation covers every case).
 */
export function withdrawCase(supportCase: SupportCase, at: Date): CaseDecision {
  if (!withdrawableStatuses.includes(supportCase.status))
    return { supportCase, timeline: [], notifications: [] };
  const decision = new CaseDecisionBuilder(at);
  const withdrawn = withClocks(
    { ...supportCase, status: 'resolved', resolvedAt: decision.at, updatedAt: decision.at },
    Object.fromEntries(allClocks.map((name) => [name, (clock: SlaClock) => meetClock(clock, at)])),
  );
  decision.add({
    kind: 'resolved',
    actor: 'customer',
    message: customerText(supportCase.customer.locale, 'withdrawn'),
    internal: false,
    data: { reason: 'withdrawn_by_customer' },
  });
  return decision.decide(withdrawn);
}

export type AnonymisationReason = 'retention' | 'erasure';

/**
 * The case without its personal data: no name, phone, email, contact hashes, waybill or token, and its
 * free text masked. Kept: number, type, category, status, dates, clocks, compensation and survey scores,
 * so the reports over it stay as they were.
 */
export function anonymiseCase(supportCase: SupportCase, at: Date, reason: AnonymisationReason): CaseDecision {
  const decision = new CaseDecisionBuilder(at);
  const { trackingNumber: _waybill, feedback, customer, ...rest } = supportCase;
  const mask = personalDataMasker(customer);
  const anonymised: SupportCase = {
    ...rest,
    customer: { name: '', type: customer.type, tier: customer.tier, locale: customer.locale },
    subject: mask(supportCase.subject),
    description: mask(supportCase.description),
    contactHashes: [],
    // No token matches an empty hash, so the customer's links answer 404 from now on.
    accessTokenHash: '',
    tokenNonce: '',
    ...(feedback
      ? {
          feedback: { ...feedback, ...(feedback.comment ? { comment: mask(feedback.comment) } : {}) },
        }
      : {}),
    anonymisedAt: decision.at,
    updatedAt: decision.at,
  };
  decision.add({
    kind: 'anonymised',
    actor: 'system',
    message: customerText(customer.locale, 'anonymised'),
    internal: true,
    data: { reason },
  });
  return decision.decide(anonymised);
}

export type TextMasker = (text: string) => string;

/**
 * maskFreeText, and the customer's own name wherever it was written (an agent greeting them by it): no
 * pattern finds a name, but the case knows which one to look for.
 */
export function personalDataMasker(customer: Pick<SupportCase['customer'], 'name'>): TextMasker {
  const name = customer.name.trim();
  if ([...name].length < 2) return maskFreeText;
  return (text) => maskFreeText(text).split(name).join(maskName(name));
}

/** Every string inside a value masked, at any depth; other values as they are. */
export function maskValue<T>(value: T, mask: TextMasker = maskFreeText): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((inner) => maskValue(inner, mask)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, maskValue(inner, mask)]),
    ) as T;
  }
  return value;
}

/** A timeline entry with its message and data masked; who acted (a staff subject or `customer`) stays. */
export function maskTimelineEntry(entry: TimelineEntry, mask: TextMasker = maskFreeText): TimelineEntry {
  return {
    ...entry,
    message: mask(entry.message),
    ...(entry.data ? { data: maskValue(entry.data, mask) } : {}),
  };
}

/** A notification's payload masked and its name dropped; the recipient goes with the outbox item's update. */
export function maskNotificationData(
  data: NotificationIntent['data'],
  mask: TextMasker = maskFreeText,
): NotificationIntent['data'] {
  const { recipientName: _name, ...rest } = data;
  return maskValue(rest, mask) as NotificationIntent['data'];
}
