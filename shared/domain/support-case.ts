// The case as it is stored (DOMAIN.md §1–4): the record, its timeline entries and the notifications
// decided for it. Plain data; what changes a case lives in `case/`.
import type {
  CaseStatus,
  CaseType,
  Category,
  CategorySource,
  Channel,
  CustomerContact,
  EscalationLevel,
  Locale,
  Money,
  Priority,
  Shipment,
  Team,
} from './case-model.ts';
import type { NotificationKind, NotificationPayload } from './notification-templates.ts';
import type { ParcelReturnKind, ProblemKind, Remedy } from './processes.ts';
import type { SlaClock } from './sla-clock.ts';
import type { ClockName } from './sla-policy.ts';

export const timelineKinds = [
  'created',
  'classified',
  'category_corrected',
  'assigned',
  'reply',
  'note',
  'customer_message',
  'plan',
  'status_changed',
  'at_risk',
  'breached',
  'escalated',
  'resolved',
  'feedback',
  'appealed',
  'closed',
  'notification_sent',
  'notification_failed',
  'notification_suppressed',
  'notification_skipped',
  'email_bounced',
  'email_complaint',
  'linked',
  'contact_viewed',
  'delivery_checked',
  'intake_failed',
  'anonymised',
  'data_exported',
  // The processes (README "Processes").
  'parcel_return',
  'parcel_return_done',
  'problem_classified',
  'cause_recorded',
  'appeal_redo',
  'tier_changed',
  'attachment_added',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineEntry {
  /** Unique within the case and sortable: the time plus a sequence. */
  entryId: string;
  at: string;
  kind: TimelineKind;
  /** `customer`, `system`, or the staff member's subject. */
  actor: string;
  message: string;
  /** Internal entries are for staff only; the customer never sees them. */
  internal: boolean;
  data?: Record<string, unknown>;
}

export type NotificationChannel = 'email' | 'sms';

/**
 * The channel a notification id names: every id ends with it (`<case>.<event>.email`, `….sms`; see
 * case/notifications.ts, sla-enforcement.ts and incident.ts), so a reference read back from a key is
 * routed to its channel's queue without reading the item.
 */
export function channelOfNotificationId(notificationId: string): NotificationChannel {
  return notificationId.endsWith('.sms') ? 'sms' : 'email';
}

export interface NotificationIntentOf<K extends NotificationKind> {
  notificationId: string;
  caseId: string;
  kind: K;
  channel: NotificationChannel;
  audience: 'customer' | 'staff';
  recipient: string;
  locale: Locale;
  /** Values the template needs; rendered at delivery so a suppression or hold can still apply. */
  data: NotificationPayload<K>;
  /** Not before this time (quiet hours, survey delay). */
  dispatchAt: string;
}

/** What the domain decided to tell someone; the outbox delivers it exactly once. One shape per kind. */
export type NotificationIntent = { [K in NotificationKind]: NotificationIntentOf<K> }[NotificationKind];

export interface Deadlines {
  firstResponseDueAt: string;
  planDueAt: string;
  resolutionDueAt: string;
  /** Set while an appeal is under review: the new deadline the customer was given. */
  appealDueAt?: string;
}

export interface SupportCase {
  caseId: string;
  type: CaseType;
  category: Category;
  categorySource: CategorySource;
  channel: Channel;
  status: CaseStatus;
  priority: Priority;
  team: Team;
  owner: string | null;
  handler: string | null;
  escalationLevel: EscalationLevel;
  trackingNumber?: string;
  subject: string;
  description: string;
  customer: CustomerContact;
  /** Keyed hashes of the customer's phone and email, for duplicate look-ups without the clear values. */
  contactHashes: string[];
  shipment?: Shipment;
  claim?: Money;
  accessTokenHash: string;
  /** With the secret key, re-derives the case token for links; useless without the key. */
  tokenNonce: string;
  deadlines: Deadlines;
  clocks: Partial<Record<ClockName, SlaClock>>;
  compensation?: Money & { rule: string; approvedBy: string | null };
  linkedCaseIds: string[];
  appealCount: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string;
  closedAt?: string;
  /** The handler's email from their token when they took the case; at-risk reminders go there. */
  handlerEmail?: string;
  /** The customer's survey answer; given once per case. */
  feedback?: CaseFeedback;
  appealedAt?: string;
  /** Intake gave up on the case (the sweep re-queued it too often); it waits in `received` for a supervisor. */
  intakeFailedAt?: string;
  /** Personal data was removed (retention one year after close, or the customer's erasure request). */
  anonymisedAt?: string;
  /** The incident the case's waybill is caught in (shared/domain/incident.ts), linked at intake or by its fan-out. */
  incidentId?: string;
  /** Optimistic lock: every save expects the version it loaded. */
  version: number;
  /** The return or re-send under way or last recorded (002 §3.4); its clock is `parcelReturn`. */
  parcelReturnKind?: ParcelReturnKind;
  /** A technical or process problem (004 §2.4): its resolution target replaces the type's. */
  problem?: ProblemKind;
  /** The non-cash remedy of the latest plan or resolution (re-ship, free replacement, re-send). */
  remedy?: Remedy;
  /** The cause was recorded as force majeure (不可抗力, 002 §3.1): it changes compensation, the customer sees it. */
  forceMajeure?: true;
}

export interface CaseFeedback {
  /** CSAT 1–5; 4 and 5 count as satisfied. */
  score: number;
  /** NPS 0–10, when given. */
  nps?: number;
  comment?: string;
  at: string;
}
