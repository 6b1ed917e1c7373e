// The stored shape of a case and of its timeline entries: the record, its keys and its derived index keys.
// Clocks are stored compact (compact-clocks.ts) and expanded again on every read.
import type { ClockName } from '#domain/sla-policy';
import type { Deadlines, SupportCase, TimelineEntry } from '#domain/support-case';
import { type CaseListRow, type CommittedChange, caseListFields } from '../use-cases/ports.ts';
import { caseIdOfKey, caseIndexKeys, caseKey, caseKeyAttributes, timelineKey } from './case-keys.ts';
import type { ShardLayout } from './case-table.ts';
import { decodeClocks, encodeClocks, instant, isoOf } from './compact-clocks.ts';
import {
  decodeProcessFacts,
  encodeProcessFacts,
  processFactNames,
  processFactsAttribute,
} from './compact-process-facts.ts';

/**
 * Shorter stored names for the attributes no index or expression reads: a name counts toward an item's
 * size as much as its value, and a case item above 1 KB costs two write units on every change.
 */
const storedNames = {
  description: 'ds',
  customer: 'cu',
  contactHashes: 'ch',
  accessTokenHash: 'th',
  tokenNonce: 'tn',
  trackingNumber: 'wb',
  categorySource: 'cs',
  appealCount: 'ac',
  linkedCaseIds: 'lk',
  handlerEmail: 'he',
  shipment: 'sh',
  claim: 'cl',
  compensation: 'cp',
  feedback: 'fb',
  deadlines: 'dl',
  resolvedAt: 'ra',
  closedAt: 'ca',
  appealedAt: 'aa',
  anonymisedAt: 'an',
  incidentId: 'ic',
} as const satisfies Partial<Record<keyof SupportCase, string>>;

/** The name a case attribute is stored under. */
export const storedName = (name: keyof typeof storedNames): string => storedNames[name];

/** Instants no index reads, stored as base-36 epoch milliseconds. */
const compactInstants = new Set<string>(['resolvedAt', 'closedAt', 'appealedAt', 'anonymisedAt']);

/** The clock each deadline follows once intake started the clocks: then it is stored as `=`. */
const deadlineClocks = {
  firstResponseDueAt: 'firstResponse',
  planDueAt: 'plan',
  resolutionDueAt: 'resolution',
  appealDueAt: 'appeal',
} as const satisfies Record<keyof Deadlines, ClockName>;
const sameAsClock = '=';

function encodeDeadlines(deadlines: Deadlines, clocks: SupportCase['clocks']): string {
  return Object.entries(deadlineClocks)
    .map(([name, clock]) => {
      const dueAt = deadlines[name as keyof Deadlines];
      if (dueAt === undefined) return '';
      return dueAt === clocks[clock]?.dueAt ? sameAsClock : instant(dueAt);
    })
    .join(',');
}

function decodeDeadlines(stored: string, clocks: SupportCase['clocks']): Deadlines {
  const codes = stored.split(',');
  return Object.fromEntries(
    Object.entries(deadlineClocks).flatMap(([name, clock], index) => {
      const code = codes[index];
      if (!code) return [];
      return [[name, code === sameAsClock ? clocks[clock]?.dueAt : isoOf(code)]];
    }),
  ) as unknown as Deadlines;
}

export function caseItem(supportCase: SupportCase, shards?: ShardLayout): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...caseKey(supportCase.caseId),
    entity: 'case',
    ...supportCase,
    clocks: encodeClocks(supportCase.clocks),
    ...caseIndexKeys(supportCase, shards),
  };
  for (const name of processFactNames) delete item[name];
  const facts = encodeProcessFacts(supportCase);
  if (facts) item[processFactsAttribute] = facts;
  for (const [name, short] of Object.entries(storedNames)) {
    const value = item[name];
    delete item[name];
    if (value === undefined) continue;
    if (name === 'deadlines') item[short] = encodeDeadlines(value as Deadlines, supportCase.clocks);
    else item[short] = compactInstants.has(name) ? instant(String(value)) : value;
  }
  return item;
}

/** A stored case item with its clocks, deadlines and names expanded (items in the older, long form too). */
export function toCase(item: Record<string, unknown>): SupportCase {
  const copy = { ...item };
  for (const attribute of caseKeyAttributes) delete copy[attribute];
  const clocks = decodeClocks(item.clocks);
  delete copy[processFactsAttribute];
  Object.assign(copy, decodeProcessFacts(item[processFactsAttribute]));
  for (const [name, short] of Object.entries(storedNames)) {
    if (!(short in copy)) continue;
    const value = copy[short];
    delete copy[short];
    if (name === 'deadlines') copy[name] = decodeDeadlines(String(value), clocks);
    else copy[name] = compactInstants.has(name) ? isoOf(String(value)) : value;
  }
  return { ...copy, clocks } as unknown as SupportCase;
}

/** A row of the agent list, from what the list indexes project of a case item. */
export function toCaseListRow(item: Record<string, unknown>): CaseListRow {
  const row = Object.fromEntries(caseListFields.map((field) => [field, item[field]]));
  return { ...row, clocks: decodeClocks(item.clocks) } as CaseListRow;
}

export function timelineItem(caseId: string, entry: TimelineEntry): Record<string, unknown> {
  return { ...timelineKey(caseId, entry.entryId), entity: 'timeline', ...entry };
}

export function toTimelineEntry(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, entity: _entity, ...entry } = item;
  return entry as unknown as TimelineEntry;
}

/**
 * A settled notification keeps its outcome's timeline entry (sent, failed, suppressed, skipped) on its own
 * item, one attribute per kind, so one conditional write records both; the case's timeline reads them.
 */
export const notificationEntryAttribute = (kind: string) => `timeline:${kind}`;

export function timelineEntriesOfNotification(item: Record<string, unknown>): TimelineEntry[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith(notificationEntryAttribute('')))
    .map(([, entry]) => entry as TimelineEntry);
}

/** The attribute of a case item that carries the change its version committed (case-store.ts). */
export const changeAttribute = 'chg';

/** The change as the case item stores it: one JSON string, read by nothing but completeChanges. */
export function encodeChange(change: CommittedChange): string {
  return JSON.stringify({
    v: change.version,
    at: change.at,
    tl: change.timeline,
    nt: change.notifications,
    ...(change.reportCounters ? { rc: change.reportCounters } : {}),
  });
}

/**
 * The version of a case as registered (registerCase): a change of this version is the case's creation,
 * which owes the case's contact index entries as well as its timeline.
 */
const createdVersion = 0;

/** What a creation owes the contact index, from the case item itself (the change does not copy it). */
function openedBy(item: Record<string, unknown>): NonNullable<CommittedChange['opened']> {
  const hashes = item[storedNames.contactHashes];
  const trackingNumber = item[storedNames.trackingNumber];
  return {
    contactHashes: Array.isArray(hashes) ? hashes.map(String) : [],
    ...(typeof trackingNumber === 'string' ? { trackingNumber } : {}),
    createdAt: String(item.createdAt),
  };
}

/** The change a stored case item carries, if it carries one (items saved before 2026-11-30 do not). */
export function committedChangeOf(item: Record<string, unknown>): CommittedChange | undefined {
  const stored = item[changeAttribute];
  if (typeof stored !== 'string') return undefined;
  const parsed = JSON.parse(stored) as {
    v: unknown;
    at: unknown;
    tl: unknown;
    nt: unknown;
    rc?: CommittedChange['reportCounters'];
  };
  if (
    typeof parsed.v !== 'number' ||
    typeof parsed.at !== 'string' ||
    !Array.isArray(parsed.tl) ||
    !Array.isArray(parsed.nt)
  ) {
    throw new Error(`The change stored on ${String(item.pk)} is not one this code wrote`);
  }
  return {
    caseId: caseIdOfKey(item.pk),
    version: parsed.v,
    at: parsed.at,
    timeline: parsed.tl as TimelineEntry[],
    notifications: parsed.nt as CommittedChange['notifications'],
    ...(parsed.rc ? { reportCounters: parsed.rc } : {}),
    ...(item[storedNames.anonymisedAt] !== undefined ? { anonymised: true } : {}),
    ...(parsed.v === createdVersion ? { opened: openedBy(item) } : {}),
  };
}
