// The one place that knows how records are keyed in the case table: every partition and sort key,
// index key and shard is built and parsed here, and nowhere else.
import { createHash } from 'node:crypto';
import { teams } from '#domain/case-model';
import { nextRetentionStep } from '#domain/retention';
import { priorityRank } from '#domain/routing';
import { nextClockCheckAt, type SlaClock } from '#domain/sla-clock';
import type { SupportCase } from '#domain/support-case';
import { caseTable, type ShardCount, type ShardLayout } from './case-table.ts';

export type TableKey = { pk: string; sk: string };

const casePrefix = 'CASE#';
const notificationPrefix = 'NOTIFICATION#';
// Short: a shard name sits on every case item (dueShard), which must stay under 1 KB.
const shardPrefix = 'S';

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

const customerPk = (contactHash: string) => `CUSTOMER#${contactHash}`;

/** A contact's current tier in the customer directory. */
export const customerTierKey = (contactHash: string): TableKey => ({
  pk: customerPk(contactHash),
  sk: 'TIER',
});

/** One change of a contact's tier, kept as its audit trail, in the order it happened. */
export const customerTierChangeKey = (contactHash: string, at: string, by: string): TableKey => ({
  pk: customerPk(contactHash),
  sk: `TIER_CHANGE#${at}#${by}`,
});

export const suppressionKey = (contactHash: string): TableKey => ({
  pk: `SUPPRESSION#${contactHash}`,
  sk: 'SUPPRESSION',
});

export const surveySlotKey = (contactHash: string): TableKey => ({
  pk: `SURVEYED#${contactHash}`,
  sk: 'SURVEYED',
});

/**
 * The abuse-limit counters of one scope within one span of time (an hour, a day, a month: see
 * rate-limit-store.ts); scopes are hashes or ids, hashed again to bound them. (Before issue 11 each limit had
 * its own item, `LIMIT#<limit>#<hash>`: those expire by TTL, and the windows open at a deployment start
 * from zero.)
 */
export const rateLimitKey = (scope: string, span: string): TableKey => ({
  pk: `LIMIT#${createHash('sha256').update(scope).digest('base64url')}`,
  sk: `WINDOW#${span}`,
});

export const dailySequenceKey = (day: string): TableKey => ({ pk: `SEQUENCE#${day}`, sk: 'SEQUENCE' });

const shardName = (bucket: number) => `${shardPrefix}${bucket}`;

/** The shard a new write of `id` goes to: a hash of the id, over the family's current count. */
export function shardOf(id: string, shards: ShardCount): string {
  return shardName(createHash('sha256').update(id).digest().readUInt32BE(0) % shards.count);
}

/** Every shard a reader reads: those of the current count and of every count still draining. */
export function allShards(shards: ShardCount): string[] {
  const widest = Math.max(shards.count, ...shards.draining);
  return Array.from({ length: widest }, (_, bucket) => shardName(bucket));
}

const reportPk = (day: string, shard: string) => `REPORT#${day}#${shard}`;

/** One shard of a day's report counters: each shard is a partition of its own. */
export const reportCountersKey = (day: string, shard: string): TableKey => ({
  pk: reportPk(day, shard),
  sk: 'COUNTERS',
});

/**
 * Where one shard of a day's team counters was kept until 2026-11-30 (session 9): an item beside the day's counters.
 * They are now written on the day's item (`reportCountersKey`); reports still read and add these items,
 * so the days counted before keep their team figures.
 */
export const reportTeamCountersKey = (day: string, shard: string): TableKey => ({
  pk: reportPk(day, shard),
  sk: 'TEAMS',
});

/** Every shard of a day's report counters. */
export const reportCountersKeys = (
  day: string,
  shards: ShardCount = caseTable.shards.reportCounters,
): TableKey[] => allShards(shards).map((shard) => reportCountersKey(day, shard));

/** Every shard of a day's team counters as kept until 2026-11-30, session 9 (read, never written). */
export const reportTeamCountersKeys = (
  day: string,
  shards: ShardCount = caseTable.shards.reportCounters,
): TableKey[] => allShards(shards).map((shard) => reportTeamCountersKey(day, shard));

/**
 * The list index's status key (`byTeamStatus`), write-sharded: a count of 1 is the unsharded key, so lists
 * written before sharding are read as the draining count 1.
 */
// Only the shard's number follows the status: the list key is on every case item, which must stay under 1 KB.
const shardedKey = (base: string, shard: string | undefined) =>
  shard ? `${base}#${shard.slice(shardPrefix.length)}` : base;

const statusShardOf = (caseId: string, shards: ShardCount) =>
  shards.count === 1 ? undefined : shardOf(caseId, shards);

function statusShards(shards: ShardCount): Array<string | undefined> {
  const counts = new Set([shards.count, ...shards.draining]);
  return [...(counts.has(1) ? [undefined] : []), ...(Math.max(...counts) > 1 ? allShards(shards) : [])];
}

export const teamStatusKey = (team: string, status: SupportCase['status'], shard?: string) =>
  shardedKey(`TEAM#${team}#STATUS#${status}`, shard);

/**
 * Every partition a list of one status reads, merged by urgency: one per shard of the team's key, or
 * without a team, of every team's. (A case has a team from registration on, `received` included: routing
 * assigns it with the priority, and intake only confirms or changes it, so every case is under some team's
 * key.) Before 2026-11-30 the all-teams list read a second index, `byStatus` (`STATUS#<status>#<shard>`);
 * it cost every status change as much as the team index did.
 */
export const statusKeys = (
  status: SupportCase['status'],
  team: string | undefined,
  shards: ShardCount = caseTable.shards.statusKeys,
): string[] =>
  (team ? [team] : teams).flatMap((name) =>
    statusShards(shards).map((shard) => teamStatusKey(name, status, shard)),
  );

/** An urgency key ends with its case id, so a page can resume after it. */
export const caseIdOfUrgencyKey = (urgencyKey: string): string =>
  urgencyKey.slice(urgencyKey.lastIndexOf('#') + 1);

function runningClocks(supportCase: SupportCase): SlaClock[] {
  return Object.values(supportCase.clocks).filter((clock): clock is SlaClock => clock !== undefined);
}

/** Index keys are derived from the case on every save, so they can never disagree with it. */
export function caseIndexKeys(
  supportCase: SupportCase,
  shards: ShardLayout = caseTable.shards,
): Record<string, unknown> {
  const clocks = runningClocks(supportCase);
  const nearestDue =
    clocks
      .filter((clock) => clock.state === 'running' || clock.state === 'paused')
      .map((clock) => clock.dueAt)
      .sort()[0] ?? '9999-12-31T23:59:59.999Z';
  const nextCheck = nextClockCheckAt(clocks);
  const statusShard = statusShardOf(supportCase.caseId, shards.statusKeys);
  return {
    teamStatusKey: teamStatusKey(supportCase.team, supportCase.status, statusShard),
    urgencyKey: `${priorityRank[supportCase.priority]}#${nearestDue}#${supportCase.caseId}`,
    breached: clocks.some((clock) => clock.breachedAt !== null),
    ...(nextCheck ? { dueShard: shardOf(supportCase.caseId, shards.dueClocks), nextCheckAt: nextCheck } : {}),
    ...retentionKeys(supportCase, shards),
  };
}

/** The attributes a case item carries besides the case itself. */
export const caseKeyAttributes = [
  'pk',
  'sk',
  'entity',
  // Items saved before the all-teams list moved to byTeamStatus (2026-11-30) still carry it until their next save.
  'statusKey',
  'teamStatusKey',
  'urgencyKey',
  'breached',
  'dueShard',
  'nextCheckAt',
  'retentionShard',
  'retentionAt',
  // The change the item's version committed, until the next (case-store.ts): not part of the case.
  'chg',
] as const;

/**
 * The retention index's keys: the case's next lifecycle step, as a family of shards (`close#S3`), and
 * since when it has waited for it, so the job reads each family up to now minus that step's window (the
 * windows are operator policy). Sharded with the dueClocks layout (a case writes them a few times in its
 * life, far below that family's load).
 */
function retentionKeys(supportCase: SupportCase, shards: ShardLayout): Record<string, string> {
  const next = nextRetentionStep(supportCase);
  return next
    ? {
        retentionShard: retentionShardOf(next.step, shardOf(supportCase.caseId, shards.dueClocks)),
        retentionAt: next.since,
      }
    : {};
}

/** The retention index's partition: a step's family of shards. */
export const retentionShardPrefix = (step: string) => `${step}#`;
const retentionShardOf = (step: string, shard: string) => `${retentionShardPrefix(step)}${shard}`;
const attachmentPrefix = 'ATTACHMENT#';

/** One attachment of a case, beside the case in its partition (the case item stays under 1 KB). */
export const attachmentRecordKey = (caseId: string, attachmentId: string): TableKey => ({
  pk: casePk(caseId),
  sk: `${attachmentPrefix}${attachmentId}`,
});

/** Where a case's attachments begin: a query of the case's partition from here reads them all. */
export const attachmentsOfCase = (caseId: string): TableKey => ({ pk: casePk(caseId), sk: attachmentPrefix });

/** How many attachment slots a case has taken: one small counter, so the 11th is refused atomically. */
export const attachmentCountKey = (caseId: string): TableKey => ({ pk: casePk(caseId), sk: 'ATTACHMENTS' });
// ── Incidents (shared/adapters/incident-store.ts) ────────────────────────────────────────────────────
// The incident, its rounds, pages and links share its partition; its progress counters have their own,
// and each "counted once" marker is a partition of its own, so 10,000 settling notices spread out.

const incidentPk = (incidentId: string) => `INCIDENT#${incidentId}`;
const pageNumber = (page: number) => String(page).padStart(5, '0');

export const incidentKey = (incidentId: string): TableKey => ({ pk: incidentPk(incidentId), sk: 'INCIDENT' });

export const incidentRoundKey = (incidentId: string, round: number): TableKey => ({
  pk: incidentPk(incidentId),
  sk: `ROUND#${pageNumber(round)}`,
});

export const incidentScopeKey = (incidentId: string, page: number): TableKey => ({
  pk: incidentPk(incidentId),
  sk: `SCOPE#${pageNumber(page)}`,
});

export const incidentContactsKey = (incidentId: string, page: number): TableKey => ({
  pk: incidentPk(incidentId),
  sk: `CONTACTS#${pageNumber(page)}`,
});

/** Links sort by the scope page of their waybill, so one fan-out message reads one page's links. */
export const incidentLinkKey = (incidentId: string, page: number, caseId: string): TableKey => ({
  pk: incidentPk(incidentId),
  sk: `LINK#${pageNumber(page)}#${caseId}`,
});

export const incidentLinkPrefix = (page?: number) =>
  page === undefined ? 'LINK#' : `LINK#${pageNumber(page)}#`;

export const caseIdOfLinkKey = (sk: unknown): string => String(sk).slice(String(sk).lastIndexOf('#') + 1);

export const incidentProgressKey = (incidentId: string): TableKey => ({
  pk: `${incidentPk(incidentId)}#PROGRESS`,
  sk: 'PROGRESS',
});

export const incidentCountedKey = (incidentId: string, marker: string): TableKey => ({
  pk: `COUNTED#${incidentId}#${createHash('sha256').update(marker).digest('base64url')}`,
  sk: 'COUNTED',
});

/** Intake finds the incidents of a waybill here: one item per waybill and incident. */
export const waybillIncidentKey = (trackingNumber: string, incidentId: string): TableKey => ({
  pk: `WAYBILL#${trackingNumber}`,
  sk: `INCIDENT#${incidentId}`,
});

export const waybillIncidentsPk = (trackingNumber: string) => `WAYBILL#${trackingNumber}`;
