// The ports: what the use cases need from the outside world, declared here by the application core.
// Adapters (shared/adapters/) implement them; use cases depend only on these and the domain.
import type { Attachment } from '#domain/attachments';
import type { CustomerTier } from '#domain/case-model';
import type { InboundEmail } from '#domain/inbound-messages';
import type { ServicePolicy } from '#domain/service-policy';
import type { NotificationIntent, SupportCase, TimelineEntry } from '#domain/support-case';
import type { AbuseLimits, LimitName, LimitWindow } from '#shared/abuse-limits';
import type { IncidentStore } from './incident-ports.ts';
import type { RetentionStore } from './retention-ports.ts';

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
}

export interface Dependencies {
  clock: Clock;
  /** The operator's service policy: SLA targets, delivery times, compensation, windows, the holiday calendar. */
  policy: PolicySource;
  cases: CaseStore;
  caseIndex: CaseIndex;
  outbox: Outbox;
  contacts: ContactRegistry;
  reports: ReportCounters;
  idempotency: IdempotencyStore;
  intakeRequeues: IntakeRequeues;
  /** Fixed-window counters of the abuse limits. */
  rateLimits: RateLimitStore;
  /** The abuse limits this deployment enforces (shared/abuse-limits.ts). */
  limits: AbuseLimits;
  keyring: Keyring;
  queues: {
    intake: QueuePublisher;
    notifications: QueuePublisher;
    slaWork: QueuePublisher;
    incidentFanout: QueuePublisher;
  };
  mailer: Mailer;
  sms: SmsSender;
  /** Raw inbound mail as SES stored it (S3), parsed. */
  inboundMail: InboundMailbox;
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
  /** The carrier this deployment serves: it picks its compensation rules from the policy (DOMAIN.md §6). */
  carrierId: string;
  /** Delay between a resolution and its satisfaction survey. */
  surveyDelayMs: number;
  /** Country calling codes SMS may go to ("86"); a customer phone elsewhere is refused. */
  smsCountryCodes: readonly string[];
  /** The personal-data lifecycle's reads and writes (retention-ports.ts). */
  retention: RetentionStore;
  /** The customer directory: tiers by keyed contact hash (DOMAIN.md §3). */
  customers: CustomerDirectory;
  /** The files of attachments (S3). */
  attachmentFiles: AttachmentFiles;
  /** Signed links to those files: the browser uploads and downloads them from S3 itself. */
  attachmentLinks: AttachmentLinks;
  /** The attachments' items beside their cases (DynamoDB). */
  attachments: AttachmentRecords;
  /**
   * The service address mail comes in at (`care@<inboundEmailDomain>`), when the deployment receives
   * mail: customer emails then carry a signed Reply-To under it, and replies to it join their case.
   */
  inboundEmailAddress?: string;
  /** Incidents and their fan-out (shared/use-cases/incident-ports.ts). */
  incidents: IncidentStore;
}

// ── Time, keys, messaging, metrics ───────────────────────────────────────────────────────────────

export interface Clock {
  now(): Date;
}

/**
 * The service policy in force. An adapter may cache it for a short while; a document it cannot read or
 * validate leaves the last good policy (the defaults at cold start) in force.
 */
export interface PolicySource {
  current(): Promise<ServicePolicy>;
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
  /** The keyed tag of a case's reply address (`care+<caseId>.<tag>@…`): only we can make one. */
  replyTag(caseId: string): string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Tags travel with SES events (bounces) back to us. */
  tags?: Record<string, string>;
  /** Where replies go: the case's signed reply address, when mail is received (issue 16). */
  replyTo?: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** Where SES receiving stores each raw message: one object per message. */
export interface InboundMailbox {
  read(location: { bucket: string; key: string }): Promise<InboundEmail>;
}

export interface SmsSender {
  send(sms: { to: string; body: string; tags?: Record<string, string> }): Promise<{ messageId: string }>;
}

/**
 * The one provider a notification consumer sends through: its channel's, and only that one (each consumer's
 * role may send on its own channel only, infra/catalogue.ts). A notification of the other channel is handed
 * to that channel's queue, never sent here.
 */
export type ChannelSender = { channel: 'email'; mailer: Mailer } | { channel: 'sms'; sms: SmsSender };

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

export type StoredNotification = NotificationIntent & StoredNotificationState;

export interface StoredNotificationState {
  status: NotificationStatus;
  attempts: number;
  leaseUntil?: string;
  sentAt?: string;
  providerMessageId?: string;
  lastError?: string;
  createdAt: string;
}

/**
 * A client's Idempotency-Key within its scope (the customer's contact hash and the request's source):
 * the same key from another customer or another source is another key, so knowing a key and a body
 * never replays someone else's answer and token.
 */
export interface ScopedIdempotencyKey {
  key: string;
  scope: string;
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

/**
 * A case change as its writer committed it: the case item carries it until the next change, so that
 * whoever finds it incomplete (the writer itself, or the table stream's CaseChangeCompleter after a
 * writer that stopped) can write what it still owes, exactly once.
 */
export interface CommittedChange {
  caseId: string;
  /** The case version the change committed. */
  version: number;
  /** When it committed (the saved case's updatedAt). */
  at: string;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
  reportCounters?: { day: string; increments: Record<string, number> };
  /** The change anonymised the case: once written, the case item keeps no copy of it (it may hold an address). */
  anonymised?: boolean;
  /**
   * The change created the case (its first version): it owes the case's entries in each contact's index
   * too, so erasure and export find it by contact. Read from the case item itself, never copied into the
   * change.
   */
  opened?: { contactHashes: readonly string[]; trackingNumber?: string; createdAt: string };
}

/**
 * The case change committed, but its writer could not complete it (its timeline entries, notifications
 * and counters are not written yet): the table stream's CaseChangeCompleter will, and will queue its
 * notifications. The caller carries on with the saved case.
 */
export class ChangeNotCompleted extends Error {
  override name = 'ChangeNotCompleted';
  readonly saved: SupportCase;
  constructor(saved: SupportCase, cause: Error) {
    super(`Case ${saved.caseId} v${saved.version} committed; its completion is left to the table stream`, {
      cause,
    });
    this.saved = saved;
  }
}

/**
 * Cases and their timelines. A change, the case's creation included, commits as one conditional write of
 * the case item (which carries the change), then completes: its timeline entries, outbox items (and, for
 * a creation, contact index entries), each put only where none is, so a second write changes nothing.
 */
export interface CaseStore {
  /** The next number of the day's case ids: 1, 2, 3, … */
  nextDailySequence(day: string): Promise<number>;
  /**
   * Stores a new case as a change like any other: the case item alone, conditional on no case under its
   * id (ConcurrentModification otherwise: nothing is written), carrying its creation; then its timeline
   * and its contact index entries. ChangeNotCompleted if the case is stored but those are not yet (the
   * table stream's completer writes them). The idempotency record, if any, is put before it
   * (IdempotencyStore.putIdempotencyRecord), so a retry always finds the case id it must use.
   */
  createCase(supportCase: SupportCase, timeline: TimelineEntry[]): Promise<void>;
  /** Strongly consistent unless `consistent: false`, for readers a slightly stale case cannot mislead. */
  getCase(caseId: string, options?: { consistent?: boolean }): Promise<SupportCase | null>;
  getCaseWithTimeline(
    caseId: string,
  ): Promise<{ supportCase: SupportCase; timeline: TimelineEntry[] } | null>;
  getCases(caseIds: readonly string[]): Promise<SupportCase[]>;
  /**
   * Saves the case if nobody changed it since it was read (ConcurrentModification otherwise), then
   * completes the change: ChangeNotCompleted if it committed and the completion failed.
   */
  saveCase(
    supportCase: SupportCase,
    changes: {
      timeline?: TimelineEntry[];
      notifications?: NotificationIntent[];
      /** Added to the day's report counters with the change's other items, so they count exactly once. */
      reportCounters?: { day: string; increments: Record<string, number> };
    },
  ): Promise<SupportCase>;
  /**
   * Writes what each committed change still owes, unless its writer (or an earlier call) already did:
   * per change, in order, `completed` when this call wrote it; `pending_indexed` when its writer did, but a
   * notification it handed to the queue was still unclaimed and is now where the dispatch job finds it.
   */
  completeChanges(
    changes: readonly CommittedChange[],
  ): Promise<Array<'completed' | 'already_complete' | 'pending_indexed'>>;
  /** Adds one entry to a case's timeline without touching the case; false when it is already there. */
  addTimelineEntry(caseId: string, entry: TimelineEntry): Promise<boolean>;
}

/** Cases found by what they are waiting for, from the table's indexes — never a scan. */
export interface CaseIndex {
  /** Cases with a clock to check at or before `now`. */
  findDueCaseIds(now: string): Promise<string[]>;
  /** The same, a round at a time (one page of every shard, read in parallel), so a caller can stop between. */
  dueCaseIdPages(now: string): AsyncIterable<string[]>;
  /** Cases still `received` that were created before `createdBefore`, except those intake gave up on. */
  findStuckInIntake(createdBefore: string): Promise<string[]>;
  /**
   * Cases of one status (and team), most urgent first. Continues after the `startAfter` urgency key;
   * `exhausted` when nothing follows the page.
   */
  listCasesByUrgency(query: UrgencyQuery): Promise<{ cases: UrgentCase[]; exhausted: boolean }>;
}

/** Notifications waiting to be sent, claimed by one sender at a time. */
export interface Outbox {
  getNotification(caseId: string, notificationId: string): Promise<StoredNotification | null>;
  /**
   * Takes the notification for `leaseMs` if it is on `channel` (ConcurrentModification when it is not
   * claimable now, or not on that channel: a sender never holds a claim it cannot send).
   */
  claimNotification(
    caseId: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
    channel: ChannelSender['channel'],
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
  /** The notifications in the outbox index that are due at `now`, with when each came due. */
  findDispatchableNotifications(
    now: string,
  ): Promise<Array<{ caseId: string; notificationId: string; dispatchAt: string }>>;
  /**
   * Takes these notifications out of the outbox index, each only while it is still there and not settled:
   * their queue messages own them from now on (a message's last receive puts one still held back,
   * leaveHeldForDispatch). How many were taken out.
   */
  handOverToQueue(refs: ReadonlyArray<{ caseId: string; notificationId: string }>): Promise<number>;
  /**
   * Puts a notification another sender still holds (`sending`) where the dispatch job finds it, so it is
   * queued again once that sender's lease has run out; false when it was settled or indexed meanwhile.
   */
  leaveHeldForDispatch(caseId: string, notificationId: string): Promise<boolean>;
}

/** What we know per contact (hashed phone or email): their cases, whether to message them, their surveys. */
export interface ContactRegistry {
  findCasesByContact(contactHashes: readonly string[], since: string): Promise<ContactCaseRef[]>;
  getSuppression(contactHash: string): Promise<Suppression | null>;
  /** False when the contact was already suppressed: the first reason stays. */
  suppressContact(contactHash: string, suppression: Suppression): Promise<boolean>;
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

/** The daily report counters, written with case saves (CaseStore.saveCase). */
/** What a queue consumer's use case learns of SQS's delivery of one message. */
export interface MessageAttempt {
  /** The last receive before the dead-letter queue. */
  finalAttempt: boolean;
  /**
   * A lease no retry of this message can outlive: its whole retry span (every receive to the consumer's
   * timeout, every backoff wait) and a minute. A claim held that long is never taken again by a later
   * receive of the same message.
   */
  leaseMs: number;
}

/**
 * Committed changes as one lane of the table stream delivered them: a shard, which hands each record over
 * first in the order of its positions (retries may hand the same records over again, in any order).
 */
export interface LaneOfChanges {
  /** The stream shard the changes came through. */
  lane: string;
  /** Each change with its position in the lane (the record's sequence number: decimal digits). */
  changes: ReadonlyArray<{ change: CommittedChange; position: string }>;
}

export interface ReportCounters {
  /**
   * Adds the report counters of committed changes to their days, each change once however often its lane
   * gives it (the table stream delivers at least once): how many were counted now.
   */
  countChanges(batch: LaneOfChanges): Promise<number>;
  /** The counters of each day, its shards summed; a day without any has an empty record. */
  getReportCounters(
    days: readonly string[],
  ): Promise<Array<{ day: string; counters: Record<string, number> }>>;
}

/** How often the sweep handed each case stuck in `received` back to intake. */
export interface IntakeRequeues {
  /** Counts one more hand-back of the case and answers how many there have been, this one included. */
  countRequeue(caseId: string): Promise<number>;
}

/**
 * Submissions already answered, or being answered, by idempotency key. The record goes in before its case
 * (CaseStore.createCase): a record whose case is missing is a submission still in flight or one that
 * stopped between the two writes, and a retry creates the case under the record's id.
 */
export interface IdempotencyStore {
  getIdempotencyRecord(key: ScopedIdempotencyKey): Promise<IdempotencyRecord | null>;
  /**
   * Records the answer a new submission is about to give: false, writing nothing, when a record within
   * its window holds the key already. One past its window (`expiresAt` before `now`) that TTL has not
   * removed yet is replaced.
   */
  putIdempotencyRecord(key: ScopedIdempotencyKey, record: IdempotencyRecord, now: Date): Promise<boolean>;
}

/** Fixed-window counters, one per limit and scope (a source IP, a recipient's hash, a case). */
export interface RateLimitStore {
  /**
   * Counts one more against each counter's window `now` falls in. Counters that share a scope (and a span
   * of time: see the adapter) are counted in one write, all or none: when one of them is spent none of
   * them is counted, and the answer names it (the first spent, in the order given) and the seconds until
   * its window ends. Counters of another scope, given earlier, stay counted.
   */
  take(
    counters: ReadonlyArray<{ window: LimitWindow; scope: string }>,
    now: Date,
  ): Promise<{ allowed: true } | { allowed: false; limit: LimitName; retryAfterSeconds: number }>;
}

export interface UrgencyQuery {
  status: SupportCase['status'];
  team?: string;
  breachedOnly?: boolean;
  limit: number;
  startAfter?: string;
}

/** What the agent list shows of a case: all that the list indexes project (no contact details, no token). */
export const caseListFields = [
  'caseId',
  'type',
  'category',
  'status',
  'priority',
  'team',
  'owner',
  'handler',
  'escalationLevel',
  'channel',
  'subject',
  'clocks',
  'createdAt',
  'updatedAt',
  'intakeFailedAt',
] as const satisfies readonly (keyof SupportCase)[];
export type CaseListRow = Pick<SupportCase, (typeof caseListFields)[number]>;

export type UrgentCase = CaseListRow & { urgencyKey: string };

/** An address or phone we must not message again (bounce, complaint, SMS opt-out). */
export interface Suppression {
  reason: 'bounce' | 'complaint' | 'opted_out';
  at: string;
  channel: 'email' | 'sms';
  caseId?: string;
}

/** A tier set by a manager: who and when, kept beside the tier as its audit trail. */
export interface CustomerTierChange {
  tier: CustomerTier;
  by: string;
  at: string;
}

/** Tiers by keyed contact hash (email or phone): no clear contact detail is stored. */
export interface CustomerDirectory {
  /** The tier held for any of these contacts: the highest when they differ, standard when none is held. */
  tierOf(contactHashes: readonly string[]): Promise<CustomerTier>;
  /** Sets the tier of every hash, and records the change (tier, who, when, previous) under each. */
  setTier(contactHashes: readonly string[], change: CustomerTierChange): Promise<void>;
}

// ── Attachments ─────────────────────────────────────────────────────────────────────────────────

/** A stored file as S3 reports it, with its first bytes (enough for the magic number of a format). */
export interface StoredFile {
  size: number;
  contentType: string;
  firstBytes: Uint8Array;
}

/** The presigned POST a browser sends the file with: the form's action and its hidden fields. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/** Links to the files of attachments (S3), signed for the browser. Keys are ours (never the customer's file name). */
export interface AttachmentLinks {
  /** A presigned POST admitting one object: exactly this key and content type, at most `maxBytes`. */
  presignUpload(upload: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<UploadForm>;
  /** A short-lived GET URL that downloads the file under the given name. */
  downloadUrl(
    key: string,
    download: { fileName: string; contentType: string; expiresInSeconds: number },
  ): Promise<string>;
}

/** The files of attachments (S3). Keys are ours (never the customer's file name). */
export interface AttachmentFiles {
  /** The object's real size, type and first bytes, or null if there is none. */
  inspect(key: string): Promise<StoredFile | null>;
  /** Stores a file the backend received itself (an email attachment). */
  put(key: string, contentType: string, bytes: Uint8Array): Promise<void>;
  /** Deletes every object whose key starts with `prefix`; how many were deleted. */
  deleteAll(prefix: string): Promise<number>;
}

/** The attachments of cases (DynamoDB), each an item beside its case. */
export interface AttachmentRecords {
  /** Adds a pending attachment if its case holds fewer than `max`; false (nothing written) when full. */
  reserve(attachment: Attachment, max: number): Promise<boolean>;
  get(caseId: string, attachmentId: string): Promise<Attachment | null>;
  list(caseId: string): Promise<Attachment[]>;
  /**
   * Settles a pending attachment: uploaded (with the stored size and, in the same write, its timeline
   * entry) or rejected (its slot freed). False when it was no longer pending: someone settled it first.
   */
  settle(
    attachment: Attachment,
    outcome:
      | { state: 'uploaded'; size: number; uploadedAt: string; entry: TimelineEntry }
      | { state: 'rejected'; reason: string },
  ): Promise<boolean>;
  /** Deletes every attachment item of a case, and its counter; how many attachments there were. */
  deleteAll(caseId: string): Promise<number>;
}
