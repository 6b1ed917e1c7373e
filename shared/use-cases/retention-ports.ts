// The port of the personal-data lifecycle: cases whose next retention step is due, found through their
// own sparse index (never a scan), and the writes that mask, forget and delete a case's items.
import type { RetentionStep } from '#domain/retention';
import type { NotificationIntent, SupportCase, TimelineEntry } from '#domain/support-case';
import type { StoredNotification } from './ports.ts';

/** Everything stored under one case: the case, its own timeline items and its outbox notifications. */
export interface CaseRecord {
  supportCase: SupportCase;
  /** The case's timeline items (not the outcome entries kept on notification items). */
  timeline: TimelineEntry[];
  notifications: StoredNotification[];
}

export interface MaskedNotification {
  notificationId: string;
  /** The masked payload; absent when the item holds none any more (a settled notification). */
  data?: NotificationIntent['data'];
  /** Not sent yet: it never will be, so it is settled as skipped and leaves the outbox index. */
  settle: boolean;
}

export interface RetentionStore {
  /** Cases waiting for each step since at or before its cutoff, a round of index pages at a time. */
  dueCaseIdPages(cutoffs: Readonly<Record<RetentionStep, string>>): AsyncIterable<string[]>;
  /** The case with its timeline and notifications, read consistently; null when it is gone. */
  loadCaseRecord(caseId: string): Promise<CaseRecord | null>;
  /** Overwrites these timeline items and notification payloads; every notification's recipient goes. */
  maskCaseItems(
    caseId: string,
    timeline: readonly TimelineEntry[],
    notifications: readonly MaskedNotification[],
  ): Promise<void>;
  /** Deletes the case's entries in its contacts' case indexes. */
  forgetContacts(supportCase: Pick<SupportCase, 'caseId' | 'createdAt' | 'contactHashes'>): Promise<void>;
  /** Deletes every item of the case and its contact index entries; the case item last. Answers how many. */
  deleteCase(supportCase: Pick<SupportCase, 'caseId' | 'createdAt' | 'contactHashes'>): Promise<number>;
}
