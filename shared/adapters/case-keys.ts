// The one place that knows how records are keyed in the case table: every partition and sort key,
// index key and shard is built and parsed here, and nowhere else.
import { createHash } from 'node:crypto';
import { priorityRank } from '#domain/routing';
import { nextClockCheckAt, type SlaClock } from '#domain/sla-clock';
import type { SupportCase } from '#domain/support-case';
import { caseTable } from './case-table.ts';

export type TableKey = { pk: string; sk: string };

const casePrefix = 'CASE#';
const notificationPrefix = 'NOTIFICATION#';
const shardPrefix = 'SHARD#';

const casePk = (caseId: string) => `${casePrefix}${caseId}`;

export const caseKey = (caseId: string): TableKey => ({ pk: casePk(caseId), sk: 'CASE' });

export const timelineKey = (caseId: string, entryId: string): TableKey => ({
  pk: casePk(caseId),
  sk: `TIMELINE#${entryId}`,
});

export const notificationKey = (caseId: string, notificationId: string): TableKey => ({
  pk: casePk(caseId),
  sk: `${notificationPrefix}${notificationId}`,
});

/** How often the sweep handed the case back to intake: one small counter beside the case. */
export const intakeRequeuesKey = (caseId: string): TableKey => ({
  pk: casePk(caseId),
  sk: 'INTAKE_REQUEUES',
});

/** The case a case, timeline or notification item belongs to, read back from its partition key. */
export const caseIdOfKey = (pk: unknown): string => String(pk).slice(casePrefix.length);

/** The notification a notification item holds, read back from its keys. */
export const notificationRefOfKey = (item: Record<string, unknown>) => ({
  caseId: caseIdOfKey(item.pk),
  notificationId: String(item.sk).slice(notificationPrefix.length),
});

/**
 * Idempotency keys are client-chosen and scoped (ScopedIdempotencyKey); hashing scope and key together
 * bounds their length and keeps both out of the table's keys.
 */
export const idempotencyKey = ({ key, scope }: { key: string; scope: string }): TableKey => ({
  pk: `IDEMPOTENCY#${createHash('sha256').update(scope).update('\n').update(key).digest('base64url')}`,
  sk: 'IDEMPOTENCY',
});

const contactPk = (contactHash: string) => `CONTACT#${contactHash}`;

/** One case of a contact, sorted by when it was created. */
export const contactCaseKey = (contactHash: string, createdAt: string, caseId: string): TableKey => ({
  pk: contactPk(contactHash),
  sk: `${casePrefix}${createdAt}#${caseId}`,
});

/** Where a contact's cases created at or after `since` begin. */
export const contactCasesSince = (contactHash: string, since: string): TableKey => ({
  pk: contactPk(contactHash),
  sk: `${casePrefix}${since}`,
});

export const suppressionKey = (contactHash: string): TableKey => ({
  pk: `SUPPRESSION#${contactHash}`,
  sk: 'SUPPRESSION',
});

export const surveySlotKey = (contactHash: string): TableKey => ({
  pk: `SURVEYED#${contactHash}`,
  sk: 'SURVEYED',
});

/** One fixed window of one abuse limit for one scope; scopes are hashes or ids, hashed again to bound them. */
export const rateLimitKey = (limit: string, scope: string, window: string): TableKey => ({
  pk: `LIMIT#${limit}#${createHash('sha256').update(scope).digest('base64url')}`,
  sk: `WINDOW#${window}`,
});

export const dailySequenceKey = (day: string): TableKey => ({ pk: `SEQUENCE#${day}`, sk: 'SEQUENCE' });

export function shardOf(id: string): string {
  const bucket = createHash('sha256').update(id).digest().readUInt32BE(0) % caseTable.shardCount;
  return `${shardPrefix}${bucket}`;
}

export function allShards(): string[] {
  return Array.from({ length: caseTable.shardCount }, (_, bucket) => `${shardPrefix}${bucket}`);
}

/** One shard of a day's report counters; writers are spread over shards by case. */
export const reportCountersKey = (day: string, shard: string): TableKey => ({
  pk: `REPORT#${day}`,
  sk: `COUNTERS#${shard}`,
});

/** Every shard of a day's report counters. */
export const reportCountersKeys = (day: string): TableKey[] =>
  allShards().map((shard) => reportCountersKey(day, shard));

export const statusKey = (status: SupportCase['status']) => `STATUS#${status}`;

export const teamStatusKey = (team: string, status: SupportCase['status']) => `TEAM#${team}#STATUS#${status}`;

/** An urgency key ends with its case id, so a page can resume after it. */
export const caseIdOfUrgencyKey = (urgencyKey: string): string =>
  urgencyKey.slice(urgencyKey.lastIndexOf('#') + 1);

function runningClocks(supportCase: SupportCase): SlaClock[] {
  return Object.values(supportCase.clocks).filter((clock): clock is SlaClock => clock !== undefined);
}

/** Index keys are derived from the case on every save, so they can never disagree with it. */
export function caseIndexKeys(supportCase: SupportCase): Record<string, unknown> {
  const clocks = runningClocks(supportCase);
  const nearestDue =
    clocks
      .filter((clock) => clock.state === 'running' || clock.state === 'paused')
      .map((clock) => clock.dueAt)
      .sort()[0] ?? '9999-12-31T23:59:59.999Z';
  const nextCheck = nextClockCheckAt(clocks);
  return {
    statusKey: statusKey(supportCase.status),
    teamStatusKey: teamStatusKey(supportCase.team, supportCase.status),
    urgencyKey: `${priorityRank[supportCase.priority]}#${nearestDue}#${supportCase.caseId}`,
    breached: clocks.some((clock) => clock.breachedAt !== null),
    ...(nextCheck ? { dueShard: shardOf(supportCase.caseId), nextCheckAt: nextCheck } : {}),
  };
}

/** The attributes a case item carries besides the case itself. */
export const caseKeyAttributes = [
  'pk',
  'sk',
  'entity',
  'statusKey',
  'teamStatusKey',
  'urgencyKey',
  'breached',
  'dueShard',
  'nextCheckAt',
] as const;
