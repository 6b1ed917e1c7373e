// Incidents (002 §3.1, ch. 7; 000 §1.1.16(1)): the carrier tells customers about a delay before they
// ask. An incident names its waybills, its cause and a message in both languages; the customers of open
// cases on those waybills, and customers without a case it was given (the proactive delay notice), are
// told once per round: the declaration, each update, and the close. Pure: time comes in as an argument.

import { type CaseDecision, CaseDecisionBuilder } from './case/case-decision.ts';
import type { Locale } from './case-model.ts';
import type { NotificationIntentOf, SupportCase } from './support-case.ts';

export const incidentCauses = ['weather', 'force_majeure', 'operations', 'other'] as const;
export type IncidentCause = (typeof incidentCauses)[number];

export const incidentStatuses = ['active', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export type BilingualText = Record<Locale, string>;

/** A customer without a case who is to hear of the delay of their parcel. */
export interface IncidentContact {
  trackingNumber: string;
  email?: string;
  phone?: string;
  locale: Locale;
}

/** What customers are told in one round: 0 is the declaration, then one per update, then the close. */
export interface IncidentRound {
  round: number;
  stage: 'declared' | 'update' | 'closed';
  message: BilingualText;
  expectedBy?: string;
  /** Close only: every linked open case is resolved with the message instead of being sent a notice. */
  resolveCases?: boolean;
  /** Who declared, updated or closed: the resolutions carry their name. */
  actor: { sub: string; roles: string[]; email?: string };
  at: string;
}

export interface Incident {
  incidentId: string;
  title: string;
  cause: IncidentCause;
  status: IncidentStatus;
  message: BilingualText;
  expectedBy?: string;
  /** The latest round; the next update is `round + 1`. */
  round: number;
  /** How many pages the waybills and the contacts were stored in (fan-out works a page at a time). */
  scopePages: number;
  contactPages: number;
  trackingNumberCount: number;
  contactCount: number;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  createdBy: string;
}

/** Progress of the notices: each notice counted once as queued, and once more in its final state. */
export interface IncidentProgress {
  queued: number;
  sent: number;
  skipped: number;
  failed: number;
}

/** Waybills and contacts per page: one fan-out message works one page inside the consumer's timeout. */
export const incidentPageSize = 100;

/** Waybill numbers compare case-insensitively (as duplicates do); incidents store them upper-case. */
export function normaliseWaybill(trackingNumber: string): string {
  return trackingNumber.trim().toUpperCase();
}

/** The pages of a list, `incidentPageSize` at a time. */
export function pagesOf<T>(items: readonly T[], size = incidentPageSize): T[][] {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages;
}

/** Distinct waybills, upper-case, in the order given. */
export function distinctWaybills(trackingNumbers: readonly string[]): string[] {
  return [...new Set(trackingNumbers.map(normaliseWaybill))];
}

/**
 * Contacts told once each: the same address or phone listed twice is one recipient (the first listing
 * wins), and a contact is reached by email when it has one, else by SMS, as case customers are.
 */
export function distinctContacts(contacts: readonly IncidentContact[]): IncidentContact[] {
  const seen = new Set<string>();
  const distinct: IncidentContact[] = [];
  for (const contact of contacts) {
    const address = recipientOf(contact);
    if (!address || seen.has(address.recipient)) continue;
    seen.add(address.recipient);
    distinct.push({ ...contact, trackingNumber: normaliseWaybill(contact.trackingNumber) });
  }
  return distinct;
}

export function recipientOf(
  contact: Pick<IncidentContact, 'email' | 'phone'>,
): { channel: 'email' | 'sms'; recipient: string } | null {
  if (contact.email) return { channel: 'email', recipient: contact.email.trim().toLowerCase() };
  if (contact.phone) return { channel: 'sms', recipient: contact.phone.trim() };
  return null;
}

export const openCaseStatuses: readonly SupportCase['status'][] = [
  'received',
  'open',
  'in_progress',
  'awaiting_customer',
  'appealed',
];

export function isOpenCase(supportCase: Pick<SupportCase, 'status'>): boolean {
  return openCaseStatuses.includes(supportCase.status);
}

/** A notice's id: the incident, the round and the channel; under its case or its contact, one per round. */
export function incidentNoticeId(incidentId: string, round: number, channel: 'email' | 'sms'): string {
  return `incident.${incidentId}.r${round}.${channel}`;
}

/** The incident a notice belongs to, read back from its id; null for every other notification. */
export function incidentOfNoticeId(notificationId: string): string | null {
  const match = /^incident\.([A-Z0-9]+)\.r\d+\.(?:email|sms)$/.exec(notificationId);
  return match?.[1] ?? null;
}

/** What the acknowledgement of a case linked at intake says of its incident. */
export interface IncidentFacts {
  incidentId: string;
  cause: IncidentCause;
  expectedBy?: string;
}

const linkedTexts: Record<Locale, (incidentId: string) => string> = {
  'zh-CN': (incidentId) => `该运单受已知事件 ${incidentId} 影响，已关联处理`,
  en: (incidentId) => `This parcel is affected by known incident ${incidentId}; your case is linked to it`,
};

/**
 * A case on one of the incident's waybills joins it: `incidentId` on the case and a `linked` entry. Used by
 * intake (with the acknowledgement, which states the cause) and by the fan-out for cases already open (with
 * the round's notice). Null when the case is already linked to an incident.
 */
export function linkToIncident(
  supportCase: SupportCase,
  incident: IncidentFacts,
  decision: CaseDecisionBuilder,
): SupportCase | null {
  if (supportCase.incidentId) return null;
  decision.add({
    kind: 'linked',
    actor: 'system',
    message: linkedTexts[supportCase.customer.locale](incident.incidentId),
    internal: false,
    data: {
      incidentId: incident.incidentId,
      cause: incident.cause,
      ...(incident.expectedBy ? { expectedBy: incident.expectedBy } : {}),
    },
  });
  return { ...supportCase, incidentId: incident.incidentId, updatedAt: decision.at };
}

/** The notice of one round to one recipient, with the text in their language. */
export function incidentNotice(
  owner: { caseId: string; trackingNumber: string; linkedCaseId?: string },
  to: { channel: 'email' | 'sms'; recipient: string; locale: Locale },
  incident: Pick<Incident, 'incidentId' | 'cause'>,
  round: IncidentRound,
  dispatchAt: string,
): NotificationIntentOf<'incident_notice'> {
  return {
    notificationId: incidentNoticeId(incident.incidentId, round.round, to.channel),
    caseId: owner.caseId,
    kind: 'incident_notice',
    channel: to.channel,
    audience: 'customer',
    recipient: to.recipient,
    locale: to.locale,
    data: {
      kind: 'incident_notice',
      caseId: owner.caseId,
      incidentId: incident.incidentId,
      trackingNumber: owner.trackingNumber,
      ...(owner.linkedCaseId ? { linkedCaseId: owner.linkedCaseId } : {}),
      cause: incident.cause,
      stage: round.stage,
      message: round.message[to.locale],
      ...(round.expectedBy ? { expectedBy: round.expectedBy } : {}),
    },
    dispatchAt,
  };
}

/** A case already open when the incident reached it: linked, and told of the round in the same write. */
export function linkOpenCase(
  supportCase: SupportCase,
  incident: Pick<Incident, 'incidentId' | 'cause'>,
  round: IncidentRound,
  now: Date,
): CaseDecision | null {
  if (!isOpenCase(supportCase) || supportCase.incidentId) return null;
  const decision = new CaseDecisionBuilder(now);
  const linked = linkToIncident(supportCase, { ...incident, expectedBy: round.expectedBy }, decision);
  if (!linked) return null;
  decision.notify(caseNotices(linked, incident, round, decision.at));
  return decision.decide(linked);
}

/** The round's notice to a case's customer: email when there is an address, else SMS. */
export function caseNotices(
  supportCase: Pick<SupportCase, 'caseId' | 'customer' | 'trackingNumber'>,
  incident: Pick<Incident, 'incidentId' | 'cause'>,
  round: IncidentRound,
  dispatchAt: string,
): NotificationIntentOf<'incident_notice'>[] {
  const to = recipientOf(supportCase.customer);
  if (!to) return [];
  return [
    incidentNotice(
      {
        caseId: supportCase.caseId,
        trackingNumber: supportCase.trackingNumber ?? '',
        linkedCaseId: supportCase.caseId,
      },
      {
        channel: to.channel,
        // The address as the customer gave it: case customers are written to where they wrote from.
        recipient: (to.channel === 'email' ? supportCase.customer.email : supportCase.customer.phone) ?? '',
        locale: supportCase.customer.locale,
      },
      incident,
      round,
      dispatchAt,
    ),
  ];
}

/** Between an incident's id and a contact's key in an owner id: neither a case id nor an incident id has one. */
const contactOwnerSeparator = '-';

/**
 * Outbox items of contacts without a case live under an owner id of their own, one per recipient of the
 * incident (`<incidentId>-<key>`), so 10,000 contacts spread over 10,000 partitions instead of one.
 */
export function contactOwnerId(incidentId: string, recipientKey: string): string {
  return `${incidentId}${contactOwnerSeparator}${recipientKey}`;
}

/** Whether a notification's owner is an incident's contact without a case, rather than a case. */
export const isContactOwnerId = (ownerId: string): boolean => ownerId.includes(contactOwnerSeparator);
