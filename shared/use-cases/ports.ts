// The ports: what the use cases need from the outside world, declared here by the application core.
// Adapters (shared/adapters/) implement them; use cases depend only on these and the domain.
import type { BusinessCalendar } from '#domain/business-calendar';
import type { CompensationPolicy } from '#domain/compensation';
import type { SlaPolicy } from '#domain/sla-policy';
import type { NotificationIntent, SupportCase, TimelineEntry } from '#domain/support-case';

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
}

export interface Dependencies {
  clock: Clock;
  calendar: BusinessCalendar;
  slaPolicy: SlaPolicy;
  repository: CaseRepository;
  keyring: Keyring;
  queues: { intake: QueuePublisher; notifications: QueuePublisher; slaWork: QueuePublisher };
  mailer: Mailer;
  sms: SmsSender;
  logger: Logger;
  /** Business metrics, e.g. SlaBreached by clock and team. */
  metrics: MetricsRecorder;
  /** The pages (API.md "Pages"): the customer's case page (opened on the survey) and the workspace. */
  links: {
    customerCaseUrl(caseId: string, token?: string, options?: { survey?: boolean }): string;
    agentCaseUrl(caseId: string): string;
  };
  /** Team leads who receive breach notices, by team and escalation level. */
  teamLeads: Record<string, { supervisor?: string; manager?: string }>;
  randomSuffix(): string;
  /** The carrier's compensation rules and approval limit (DOMAIN.md §6). */
  compensationPolicy: CompensationPolicy;
  /** Delay between a resolution and its satisfaction survey. */
  surveyDelayMs: number;
}

// ── Time, keys, messaging, metrics ───────────────────────────────────────────────────────────────

export interface Clock {
  now(): Date;
}

export interface Keyring {
  /** HMAC of a normalised phone or email: equal contacts give equal hashes, and nothing else leaks. */
  hashContact(contact: string): string;
  /**
   * A case token, derived from a per-case nonce with the secret key: the table keeps only the nonce
   * and the token's hash, yet links in later messages and idempotent replays can carry the token.
   */
  caseToken(caseId: string, nonce: string): string;
  /** A fresh random nonce for a new case's token. */
  newTokenNonce(): string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Tags travel with SES events (bounces) back to us. */
  tags?: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  send(sms: { to: string; body: string; tags?: Record<string, string> }): Promise<{ messageId: string }>;
}

/** The destination opted out of SMS; retrying would not help. */
export class SmsOptedOut extends Error {
  override name = 'SmsOptedOut';
}

export interface QueuePublisher {
  send(messages: readonly object[]): Promise<void>;
}

export interface MetricsRecorder {
  /** Adds `value` (default 1) to a count with these dimensions. */
  count(name: string, dimensions: Record<string, string>, value?: number): void;
}

// ── Case storage ──────────────────────────────────────────────────────────────────────────────────

export const notificationStatuses = [
  'pending',
  'sending',
  'sent',
  'failed',
  'suppressed',
  'skipped',
] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

export interface StoredNotification extends NotificationIntent {
  status: NotificationStatus;
  attempts: number;
  leaseUntil?: string;
  sentAt?: string;
  providerMessageId?: string;
  lastError?: string;
  createdAt: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  caseId: string;
  response: Record<string, unknown>;
  expiresAt: number;
}

export interface ContactCaseRef {
  caseId: string;
  trackingNumber?: string;
  createdAt: string;
}

/** A conditional write lost a race: someone else changed the item first. */
export class ConcurrentModification extends Error {
  override name = 'ConcurrentModification';
}

export interface CaseRepository {
  nextDailySequence(day: string): Promise<number>;
  createCase(
    supportCase: SupportCase,
    timeline: TimelineEntry[],
    idempotency?: { key: string; record: IdempotencyRecord },
  ): Promise<void>;
  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | null>;
  getCase(caseId: string): Promise<SupportCase | null>;
  getCaseWithTimeline(
    caseId: string,
  ): Promise<{ supportCase: SupportCase; timeline: TimelineEntry[] } | null>;
  getCases(caseIds: readonly string[]): Promise<SupportCase[]>;
  saveCase(
    supportCase: SupportCase,
    changes: {
      timeline?: TimelineEntry[];
      notifications?: NotificationIntent[];
      /** Added to the day's report counters in the same transaction, so they count exactly once. */
      reportCounters?: { day: string; increments: Record<string, number> };
    },
  ): Promise<SupportCase>;
  findCasesByContact(contactHashes: readonly string[], since: string): Promise<ContactCaseRef[]>;
  getNotification(caseId: string, notificationId: string): Promise<StoredNotification | null>;
  claimNotification(
    caseId: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
  ): Promise<StoredNotification>;
  releaseNotification(
    caseId: string,
    notificationId: string,
    outcome: { dispatchAt?: string; error?: string; failed?: boolean },
    timeline?: TimelineEntry,
  ): Promise<void>;
  completeNotification(
    caseId: string,
    notificationId: string,
    outcome: { status: 'sent' | 'suppressed' | 'skipped'; at: string; providerMessageId?: string },
    timeline?: TimelineEntry,
  ): Promise<void>;
  findDueCaseIds(now: string): Promise<string[]>;
  findDispatchableNotifications(now: string): Promise<Array<{ caseId: string; notificationId: string }>>;
  findCaseIdsInStatus(status: SupportCase['status'], createdBefore: string): Promise<string[]>;
  /**
   * Cases of one status (and team), most urgent first, from the byStatus / byTeamStatus index — never a
   * scan. Continues after the `startAfter` urgency key; `exhausted` when nothing follows the page.
   */
  listCasesByUrgency(query: UrgencyQuery): Promise<{ cases: UrgentCase[]; exhausted: boolean }>;
  /** The counters of each day, its shards summed; a day without any has an empty record. */
  getReportCounters(
    days: readonly string[],
  ): Promise<Array<{ day: string; counters: Record<string, number> }>>;
  getSuppression(contactHash: string): Promise<Suppression | null>;
  suppressContact(contactHash: string, suppression: Suppression): Promise<boolean>;
  /** Adds one entry to a case's timeline without touching the case; false when it is already there. */
  addTimelineEntry(caseId: string, entry: TimelineEntry): Promise<boolean>;
  /**
   * Reserves the survey slot of every contact hash for this notification: it succeeds only where no other
   * survey went out since `notBefore`. False when one did; a retry of the same notification succeeds.
   */
  reserveSurvey(
    contactHashes: readonly string[],
    reservation: { notificationId: string; caseId: string; at: string; notBefore: string; expiresAt: number },
  ): Promise<boolean>;
  /** Gives the slot back when the reserved survey finally failed, so the customer may be asked later. */
  releaseSurveyReservation(contactHashes: readonly string[], notificationId: string): Promise<void>;
}

export interface UrgencyQuery {
  status: SupportCase['status'];
  team?: string;
  breachedOnly?: boolean;
  limit: number;
  startAfter?: string;
}

export type UrgentCase = SupportCase & { urgencyKey: string };

/** An address or phone we must not message again (bounce, complaint, SMS opt-out). */
export interface Suppression {
  reason: 'bounce' | 'complaint' | 'opted_out';
  at: string;
  channel: 'email' | 'sms';
  caseId?: string;
}
