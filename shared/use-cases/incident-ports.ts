// The port of incidents: the incident, its rounds, its pages of waybills and contacts, the waybill index
// intake reads, the links to cases, and the progress counters. One store over the case table.

import type { Locale } from '#domain/case-model';
import type { Incident, IncidentProgress, IncidentRound } from '#domain/incident';
import type { NotificationIntent } from '#domain/support-case';

/** A contact of the proactive notice as stored: its recipient key is a keyed hash, never the address. */
export interface StoredIncidentContact {
  recipientKey: string;
  trackingNumber: string;
  channel: 'email' | 'sms';
  recipient: string;
  locale: Locale;
}

export interface IncidentStore {
  /** The incident, its first round and its pages, written before any fan-out work is queued. */
  createIncident(
    incident: Incident,
    round: IncidentRound,
    pages: { scope: string[][]; contacts: StoredIncidentContact[][] },
  ): Promise<void>;
  getIncident(incidentId: string): Promise<Incident | null>;
  /** Saves the incident with its next round if nobody added a round since it was read (ConcurrentModification). */
  addRound(incident: Incident, round: IncidentRound): Promise<void>;
  getRound(incidentId: string, round: number): Promise<IncidentRound | null>;
  getScopePage(incidentId: string, page: number): Promise<string[]>;
  getContactPage(incidentId: string, page: number): Promise<StoredIncidentContact[]>;
  trackingNumbers(incidentId: string): Promise<string[]>;
  /** Makes the waybills of one page findable by intake (idempotent). */
  indexWaybills(incidentId: string, page: number, trackingNumbers: readonly string[]): Promise<void>;
  /** The incidents a waybill is in, with the scope page that holds it. */
  incidentsOfWaybill(trackingNumber: string): Promise<Array<{ incidentId: string; page: number }>>;
  /** Every case ever submitted on this waybill (the byWaybill index). */
  caseIdsOfWaybill(trackingNumber: string): Promise<string[]>;
  /** Records that the case is linked, under the scope page of its waybill (idempotent). */
  addLink(incidentId: string, page: number, caseId: string): Promise<void>;
  /** Linked cases, of one scope page or of all. */
  linkedCaseIds(incidentId: string, page?: number): Promise<string[]>;
  /** Puts each notification unless it is already there: a page worked twice writes nothing twice. */
  putNotifications(intents: readonly NotificationIntent[], createdAt: string): Promise<void>;
  /** How many of these notifications are in the outbox (in any state). */
  countExisting(notices: readonly { caseId: string; notificationId: string }[]): Promise<number>;
  /** Adds a page's notices to `queued`, once per marker however often the page is worked. */
  countQueued(incidentId: string, marker: string, queued: number): Promise<boolean>;
  /** Adds one notice's final state to its counter, once per notice. */
  countSettled(
    incidentId: string,
    notice: { caseId: string; notificationId: string },
    state: 'sent' | 'skipped' | 'failed',
  ): Promise<boolean>;
  progress(incidentId: string): Promise<IncidentProgress>;
}
