// A customer-service case: registration and classification (DOMAIN.md §1–4). Pure functions over
// plain data; time comes in as an argument.
import type { BusinessCalendar } from './business-calendar.ts';
import {
  type CaseStatus,
  type CaseType,
  type Category,
  type CategorySource,
  type Channel,
  type CustomerContact,
  type CustomerType,
  type EscalationLevel,
  isCategoryOf,
  type Locale,
  type Money,
  type Priority,
  type Shipment,
  type Team,
} from './case-model.ts';
import { inferCategory } from './category-inference.ts';
import { routeCase } from './routing.ts';
import { type SlaClock, startClock } from './sla-clock.ts';
import { type ClockName, clockTargetsFor, defaultSlaPolicy, type SlaPolicy } from './sla-policy.ts';
import { categoryLabel, customerText } from './timeline-texts.ts';

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

/** What the domain decided to tell someone; the outbox delivers it exactly once. */
export interface NotificationIntent {
  notificationId: string;
  caseId: string;
  kind: string;
  channel: NotificationChannel;
  audience: 'customer' | 'staff';
  recipient: string;
  locale: Locale;
  /** Values the template needs; rendered at delivery so a suppression or hold can still apply. */
  data: Record<string, unknown>;
  /** Not before this time (quiet hours, survey delay). */
  dispatchAt: string;
}

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
  /** Optimistic lock: every save expects the version it loaded. */
  version: number;
}

export interface CaseFeedback {
  /** CSAT 1–5; 4 and 5 count as satisfied. */
  score: number;
  /** NPS 0–10, when given. */
  nps?: number;
  comment?: string;
  at: string;
}

export interface CaseSubmission {
  type: CaseType;
  category?: string;
  channel: Channel;
  subject: string;
  description: string;
  trackingNumber?: string;
  customer: { name: string; email?: string; phone?: string; type: CustomerType; locale: Locale };
  shipment?: Shipment;
  claim?: Money;
}

export interface Classification {
  category: Category;
  categorySource: CategorySource;
  matchedKeywords: string[];
  priority: Priority;
  team: Team;
  routingRule: string;
}

export interface SlaSettings {
  calendar: BusinessCalendar;
  policy?: SlaPolicy;
}

export function classify(
  submission: Pick<CaseSubmission, 'type' | 'category' | 'subject' | 'description'> & {
    customer: { type: CustomerType; tier?: CustomerContact['tier'] };
  },
): Classification {
  const given = submission.category;
  const inferred =
    given && isCategoryOf(submission.type, given)
      ? null
      : inferCategory(submission.type, submission.subject, submission.description);
  const category = inferred ? inferred.category : (given as Category);
  const route = routeCase({
    type: submission.type,
    category,
    customerType: submission.customer.type,
    tier: submission.customer.tier ?? 'standard',
  });
  return {
    category,
    categorySource: inferred ? 'inferred' : 'customer',
    matchedKeywords: inferred?.matchedKeywords ?? [],
    priority: route.priority,
    team: route.team,
    routingRule: route.rule,
  };
}

export function startCaseClocks(
  subject: { type: CaseType; category: Category; priority: Priority },
  startedAt: Date,
  sla: SlaSettings,
): Record<'firstResponse' | 'plan' | 'resolution', SlaClock> {
  const targets = clockTargetsFor(subject, sla.policy ?? defaultSlaPolicy);
  return {
    firstResponse: startClock('firstResponse', targets.firstResponse, startedAt, sla.calendar),
    plan: startClock('plan', targets.plan, startedAt, sla.calendar),
    resolution: startClock('resolution', targets.resolution, startedAt, sla.calendar),
  };
}

export function deadlinesOf(clocks: Record<'firstResponse' | 'plan' | 'resolution', SlaClock>): Deadlines {
  return {
    firstResponseDueAt: clocks.firstResponse.dueAt,
    planDueAt: clocks.plan.dueAt,
    resolutionDueAt: clocks.resolution.dueAt,
  };
}

/** Case numbers people can read out on the phone: CS + yymmdd (Beijing date) + daily sequence + two letters. */
export function formatCaseId(now: Date, dailySequence: number, suffix: string): string {
  const beijing = new Date(now.getTime() + 8 * 3600_000).toISOString();
  const yymmdd = beijing.slice(2, 4) + beijing.slice(5, 7) + beijing.slice(8, 10);
  return `CS${yymmdd}${String(dailySequence).padStart(4, '0')}${suffix}`;
}

export function caseDayOf(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const sequenceWidth = 4;
export function entryIdAt(at: string, sequence: number): string {
  return `${at}#${String(sequence).padStart(sequenceWidth, '0')}`;
}

export function registerCase(
  submission: CaseSubmission,
  context: {
    caseId: string;
    now: Date;
    accessTokenHash: string;
    tokenNonce: string;
    contactHashes: string[];
    sla: SlaSettings;
  },
): { supportCase: SupportCase; timeline: TimelineEntry[] } {
  const at = context.now.toISOString();
  const customer: CustomerContact = { ...submission.customer, tier: 'standard' };
  const classification = classify({ ...submission, customer });
  const deadlines = deadlinesOf(
    startCaseClocks({ type: submission.type, ...classification }, context.now, context.sla),
  );
  const supportCase: SupportCase = {
    caseId: context.caseId,
    type: submission.type,
    category: classification.category,
    categorySource: classification.categorySource,
    channel: submission.channel,
    status: 'received',
    priority: classification.priority,
    team: classification.team,
    owner: null,
    handler: null,
    escalationLevel: 0,
    trackingNumber: submission.trackingNumber,
    subject: submission.subject,
    description: submission.description,
    customer,
    contactHashes: context.contactHashes,
    shipment: submission.shipment,
    claim: submission.claim,
    accessTokenHash: context.accessTokenHash,
    tokenNonce: context.tokenNonce,
    deadlines,
    clocks: {},
    linkedCaseIds: [],
    appealCount: 0,
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
  const created: TimelineEntry = {
    entryId: entryIdAt(at, 0),
    at,
    kind: 'created',
    actor: 'customer',
    message: customerText(customer.locale, 'created', { caseId: context.caseId }),
    internal: false,
    data: { channel: submission.channel },
  };
  return { supportCase, timeline: [created] };
}

export interface DuplicateCandidate {
  caseId: string;
  status: CaseStatus;
  createdAt: string;
  trackingNumber?: string;
}

/** DOMAIN.md §2: same waybill, same customer, an open case within 7 days. */
export function findDuplicateOf(
  supportCase: Pick<SupportCase, 'caseId' | 'trackingNumber' | 'createdAt'>,
  candidates: readonly DuplicateCandidate[],
  windowDays = 7,
): DuplicateCandidate | null {
  if (!supportCase.trackingNumber) return null;
  const windowStart = new Date(supportCase.createdAt).getTime() - windowDays * 86_400_000;
  const openStatuses: readonly CaseStatus[] = [
    'received',
    'open',
    'in_progress',
    'awaiting_customer',
    'appealed',
  ];
  const matches = candidates
    .filter(
      (candidate) =>
        candidate.caseId !== supportCase.caseId &&
        candidate.trackingNumber?.toUpperCase() === supportCase.trackingNumber?.toUpperCase() &&
        openStatuses.includes(candidate.status) &&
        new Date(candidate.createdAt).getTime() >= windowStart &&
        candidate.createdAt <= supportCase.createdAt,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return matches[0] ?? null;
}

/** The customer-facing notifications for one event: email when we have an address, SMS for phone-only customers. */
export function customerNotifications(
  supportCase: Pick<SupportCase, 'caseId' | 'customer'>,
  kind: string,
  eventKey: string,
  data: Record<string, unknown>,
  dispatchAt: string,
): NotificationIntent[] {
  const { customer } = supportCase;
  const base = {
    caseId: supportCase.caseId,
    kind,
    audience: 'customer' as const,
    locale: customer.locale,
    dispatchAt,
  };
  const data_ = { caseId: supportCase.caseId, recipientName: customer.name, ...data };
  if (customer.email) {
    return [
      {
        ...base,
        notificationId: `${supportCase.caseId}.${eventKey}.email`,
        channel: 'email',
        recipient: customer.email,
        data: data_,
      },
    ];
  }
  if (customer.phone) {
    return [
      {
        ...base,
        notificationId: `${supportCase.caseId}.${eventKey}.sms`,
        channel: 'sms',
        recipient: customer.phone,
        data: data_,
      },
    ];
  }
  return [];
}

export interface IntakeDecision {
  supportCase: SupportCase;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
}

/**
 * Intake: classify and route a received case, start its clocks from the moment it was received,
 * link it to an open duplicate, and decide the acknowledgement.
 */
export function acceptReceivedCase(
  supportCase: SupportCase,
  context: { now: Date; sla: SlaSettings; duplicateOf: DuplicateCandidate | null },
): IntakeDecision | null {
  if (supportCase.status !== 'received') return null;
  const at = context.now.toISOString();
  const classification = classify(
    supportCase.categorySource === 'customer' ? supportCase : { ...supportCase, category: undefined },
  );
  const clocks = startCaseClocks(
    { type: supportCase.type, category: classification.category, priority: classification.priority },
    new Date(supportCase.createdAt),
    context.sla,
  );
  const locale = supportCase.customer.locale;
  const accepted: SupportCase = {
    ...supportCase,
    status: 'open',
    category: classification.category,
    categorySource: classification.categorySource,
    priority: classification.priority,
    team: classification.team,
    clocks,
    deadlines: deadlinesOf(clocks),
    linkedCaseIds: context.duplicateOf ? [context.duplicateOf.caseId] : supportCase.linkedCaseIds,
    updatedAt: at,
  };
  const timeline: TimelineEntry[] = [
    {
      entryId: entryIdAt(at, 1),
      at,
      kind: 'classified',
      actor: 'system',
      message: customerText(locale, 'classified', {
        category: categoryLabel(locale, classification.category),
      }),
      internal: false,
      data: {
        category: classification.category,
        categorySource: classification.categorySource,
        matchedKeywords: classification.matchedKeywords,
        priority: classification.priority,
        team: classification.team,
        routingRule: classification.routingRule,
      },
    },
  ];
  const ackData = { subject: supportCase.subject, caseType: supportCase.type, deadlines: accepted.deadlines };
  const notifications = customerNotifications(accepted, 'acknowledgement', 'ack', ackData, at);
  if (context.duplicateOf) {
    timeline.push({
      entryId: entryIdAt(at, 2),
      at,
      kind: 'linked',
      actor: 'system',
      message: customerText(locale, 'linked', { existingCaseId: context.duplicateOf.caseId }),
      internal: false,
      data: { existingCaseId: context.duplicateOf.caseId },
    });
    notifications.push(
      ...customerNotifications(
        accepted,
        'duplicate_linked',
        'linked',
        { existingCaseId: context.duplicateOf.caseId },
        at,
      ),
    );
  }
  return { supportCase: accepted, timeline, notifications };
}
