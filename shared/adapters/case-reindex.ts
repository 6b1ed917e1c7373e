// Brings every case item's index keys up to the current layout (`npm run reindex`). Keys are derived on
// every save (caseIndexKeys), so only items nothing has saved since a release changed them lag behind:
// cases closed before the retentionDue index (never anonymised or deleted on schedule), list and due-clock
// entries under a shard count still draining, a legacy `statusKey`. A parallel Scan of the case items
// re-derives their keys and rewrites only those that differ, with one UpdateItem each that leaves the case
// (and its version) as it is.
//
// Each update also removes `chg`, the last change the item carries, and skips items updated in the last
// 25 hours. The table stream hands every MODIFY whose new image has `chg` to CaseChangeCompleter, which
// counts each change's report counters once by its stream shard's order (report-counters.ts): an update
// keeping `chg` would deliver an old change again at a new position, past its shard's mark, and count it
// twice. A change older than the stream's 24 hours can never be delivered again, so its `chg` is dead
// weight once the change is complete; without it the new image no longer passes the stream's filter.
// A change whose timeline entries were never written (its writer stopped and the completer gave up) is
// left alone and reported: its `chg` is the last copy (README, "A case change never completed").
//
// The same Scan finds a case's settled notifications that still carry an expiry (settled before
// 2026-11-30, session 11, when settling set one: outbox.ts) and removes it, because the item holds the
// outcome's timeline entry, part of the case's record. A notice to an incident's contact without a case
// keeps its expiry.
import { type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isContactOwnerId } from '#domain/incident';
import type { CommittedChange } from '../use-cases/ports.ts';
import { changeAttribute, committedChangeOf, toCase } from './case-items.ts';
import { caseIdOfKey, caseIndexKeys, caseKeyAttributes, timelineKey } from './case-keys.ts';
import { caseTable } from './case-table.ts';
import { type CaseTableClient, isConditionFailure, tableKeyOf, tableKeyText } from './case-table-client.ts';
import { inParallel } from './in-parallel.ts';

/** The index keys a case item carries, current or legacy: every key attribute but the item's own. */
const indexKeyAttributes = caseKeyAttributes.filter(
  (name) => name !== 'pk' && name !== 'sk' && name !== 'entity' && name !== changeAttribute,
);

/** Past the stream's 24-hour retention, with an hour's margin: no record of the last change is left. */
export const reindexQuietHours = 25;

export interface ReindexOptions {
  /** Write the updates; without it, count what would change and write nothing. */
  apply: boolean;
  /** The clock: items updated after it minus `reindexQuietHours` are skipped as recent. */
  now: Date;
  /** Parallel Scan segments. */
  segments?: number;
  /** Items a Scan page reads at most. */
  pageSize?: number;
  /** Updates a second at most, over all segments. */
  writesPerSecond?: number;
  /** Updates in flight at once, per segment. */
  writesAtOnce?: number;
}

export interface ReindexCounts {
  /** Items the Scan read (every kind). */
  scanned: number;
  caseItems: number;
  upToDate: number;
  /** Items whose keys differ and were (with apply) or would be (without) updated. */
  stale: number;
  updated: number;
  /** Keys differ, but the item was updated within the last 25 hours (the stream may still hold it): later. */
  recent: number;
  /** The item changed between the Scan and the update: its save re-derived the keys; not overwritten. */
  changedMeanwhile: number;
  /** Keys differ, but the item carries a change whose timeline entries were never written. */
  changeNotCompleted: number;
  /** The item's case or change cannot be read by this code: left alone for a person to look at. */
  unreadable: number;
  /** Stale items by the attribute that differs (set, changed or removed). */
  byAttribute: Record<string, number>;
  /** A case's settled notifications that still carry an expiry: it is (with apply) or would be removed. */
  expiringNotifications: number;
  /** Of those, the ones whose expiry was removed. */
  notificationsKept: number;
}

/**
 * A settled notification that still carries an expiry (settling set one before 2026-11-30, session 11): the
 * condition on the Scan's notification items and on the update that removes the expiry.
 */
const settledWithExpiry = {
  expression: 'attribute_exists(#ttl) AND #status IN (:sent, :suppressed, :skipped)',
  names: { '#ttl': caseTable.timeToLiveAttribute, '#status': 'status' },
  values: { ':sent': 'sent', ':suppressed': 'suppressed', ':skipped': 'skipped' },
};

interface KeyDifference {
  set: Record<string, unknown>;
  remove: string[];
}

/** An item whose keys differ, with the change it carries, read once. */
interface Stale {
  item: Record<string, unknown>;
  difference: KeyDifference;
  change: CommittedChange | undefined;
}

/** What an item must set and remove for its keys to equal those derived from its case now. */
function keyDifference(item: Record<string, unknown>, derived: Record<string, unknown>): KeyDifference {
  const difference: KeyDifference = { set: {}, remove: [] };
  for (const name of indexKeyAttributes) {
    if (name in derived) {
      if (item[name] !== derived[name]) difference.set[name] = derived[name];
    } else if (name in item) {
      difference.remove.push(name);
    }
  }
  return difference;
}

/** The update: SET the keys that differ, REMOVE those no longer derived, and the item's change. */
function keyUpdate(difference: KeyDifference) {
  const setNames = Object.keys(difference.set);
  const names = [...setNames, ...difference.remove, changeAttribute];
  const sets = setNames.map((_, n) => `#a${n} = :a${n}`);
  const removes = names.slice(setNames.length).map((_, n) => `#a${setNames.length + n}`);
  return {
    UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((name, n) => [`#a${n}`, name])),
    values: Object.fromEntries(setNames.map((name, n) => [`:a${n}`, difference.set[name]])),
  };
}

const differs = (difference: KeyDifference) =>
  Object.keys(difference.set).length > 0 || difference.remove.length > 0;

/** Spaces calls `1 / perSecond` seconds apart, whoever asks. */
function pacer(perSecond: number): () => Promise<void> {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

export async function reindexCases(table: CaseTableClient, options: ReindexOptions): Promise<ReindexCounts> {
  const { apply, now, segments = 4, pageSize = 100, writesPerSecond = 50, writesAtOnce = 4 } = options;
  const cutoff = new Date(now.getTime() - reindexQuietHours * 3_600_000).toISOString();
  const paced = pacer(writesPerSecond);
  const counts: ReindexCounts = {
    scanned: 0,
    caseItems: 0,
    upToDate: 0,
    stale: 0,
    updated: 0,
    recent: 0,
    changedMeanwhile: 0,
    changeNotCompleted: 0,
    unreadable: 0,
    byAttribute: {},
    expiringNotifications: 0,
    notificationsKept: 0,
  };

  /** Of these stale items, those whose change's timeline entries are not all stored. */
  async function withIncompleteChange(stale: readonly Stale[]): Promise<Set<unknown>> {
    const owed = stale.flatMap(({ item, change }) =>
      (change?.timeline ?? []).map((entry) => ({
        item,
        ...timelineKey(change?.caseId ?? '', entry.entryId),
      })),
    );
    if (owed.length === 0) return new Set();
    const stored = new Set((await table.batchGet(owed.map(tableKeyOf))).map(tableKeyText));
    return new Set(owed.filter((entry) => !stored.has(tableKeyText(entry))).map((entry) => entry.item));
  }

  async function update(item: Record<string, unknown>, difference: KeyDifference): Promise<void> {
    await paced();
    const { values, ...expression } = keyUpdate(difference);
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: tableKeyOf(item),
          ...expression,
          ConditionExpression: 'version = :version AND updatedAt < :cutoff',
          ExpressionAttributeValues: { ...values, ':version': item.version, ':cutoff': cutoff },
        }),
      );
      counts.updated += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      counts.changedMeanwhile += 1;
    }
  }

  async function reindexPage(items: readonly Record<string, unknown>[]): Promise<void> {
    const stale: Stale[] = [];
    for (const item of items) {
      let difference: KeyDifference;
      let change: CommittedChange | undefined;
      try {
        change = committedChangeOf(item);
        difference = keyDifference(item, caseIndexKeys(toCase(item), table.shards));
      } catch {
        // One item this code cannot read (a change in a format it does not know, a broken case) stops
        // nothing: it is counted, and the run carries on.
        counts.unreadable += 1;
        continue;
      }
      if (!differs(difference)) counts.upToDate += 1;
      else if (String(item.updatedAt) >= cutoff) counts.recent += 1;
      else stale.push({ item, difference, change });
    }
    const incomplete = await withIncompleteChange(stale);
    const due = stale.filter(({ item }) => !incomplete.has(item));
    counts.changeNotCompleted += incomplete.size;
    counts.stale += due.length;
    for (const { difference } of due) {
      for (const name of [...Object.keys(difference.set), ...difference.remove]) {
        counts.byAttribute[name] = (counts.byAttribute[name] ?? 0) + 1;
      }
    }
    if (apply) await inParallel(due, writesAtOnce, ({ item, difference }) => update(item, difference));
  }

  /** Removes the expiry of a case's settled notification, on condition that it is still settled. */
  async function keepNotification(item: Record<string, unknown>): Promise<void> {
    await paced();
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: tableKeyOf(item),
          UpdateExpression: 'REMOVE #ttl',
          ConditionExpression: settledWithExpiry.expression,
          ExpressionAttributeNames: settledWithExpiry.names,
          ExpressionAttributeValues: settledWithExpiry.values,
        }),
      );
      counts.notificationsKept += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async function keepNotifications(items: readonly Record<string, unknown>[]): Promise<void> {
    const ofCases = items.filter((item) => !isContactOwnerId(caseIdOfKey(item.pk)));
    counts.expiringNotifications += ofCases.length;
    if (apply) await inParallel(ofCases, writesAtOnce, keepNotification);
  }

  async function scanSegment(segment: number): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new ScanCommand({
          TableName: table.tableName,
          Segment: segment,
          TotalSegments: segments,
          Limit: pageSize,
          FilterExpression: `(sk = :sk AND entity = :entity) OR (entity = :notification AND ${settledWithExpiry.expression})`,
          ExpressionAttributeNames: settledWithExpiry.names,
          ExpressionAttributeValues: {
            ':sk': 'CASE',
            ':entity': 'case',
            ':notification': 'notification',
            ...settledWithExpiry.values,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      const items = page.Items ?? [];
      const cases = items.filter((item) => item.entity === 'case');
      counts.scanned += page.ScannedCount ?? 0;
      counts.caseItems += cases.length;
      await reindexPage(cases);
      await keepNotifications(items.filter((item) => item.entity === 'notification'));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  await inParallel(
    Array.from({ length: segments }, (_, segment) => segment),
    segments,
    scanSegment,
  );
  return counts;
}

/** The tables whose names start with `prefix` (a deployed stack's table: CloudFormation names it). */
export async function tableNamesStartingWith(client: DynamoDBClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let startName: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: startName }));
    names.push(...(page.TableNames ?? []));
    startName = page.LastEvaluatedTableName;
  } while (startName);
  return names.filter((name) => name.startsWith(prefix));
}
