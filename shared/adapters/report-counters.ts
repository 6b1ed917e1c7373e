// The daily report counters: one item per day and shard, summed over shards when read. The table stream's
// completer counts committed case changes in batches (countChanges): one transaction per day of a batch
// adds the batch's increments to one shard's item and puts a marker per change, so a change the stream
// delivers again is not counted again, and a counter item is written once per batch, not once per change.
// The team counters (the domain's `team.<team>.<name>`) are names on the same item. DynamoDB bills a
// transaction's items at 2 units a KB each, so one item costs ceil(a + b) KB where two cost ceil(a) +
// ceil(b): for a case alone on a quiet day that is 2 units a counted change instead of 4; on a busy day
// (the item holding every name, about 6 KB) a batch of 100 changes moves team counters anyway, so the two
// layouts cost the same (Benchmarks, "Report counters on a busy day"). Until 2026-12-01 the team counters
// were a second item in the partition (`TEAMS`); reports still read and add those.
import { type CommittedChange, ConcurrentModification, type ReportCounters } from '../use-cases/ports.ts';
import {
  countedChangeKey,
  reportCountersKey,
  reportCountersKeys,
  reportTeamCountersKeys,
  shardOf,
} from './case-keys.ts';
import { caseTable } from './case-table.ts';
import type { CaseTableClient, TransactItem } from './case-table-client.ts';

/** How long a counted change's marker stays: past the stream's 24 hours and its event source's retries. */
const countedMarkerDays = 3;
/** Changes per transaction: their markers and a day's counter item stay within DynamoDB's 100 items. */
const changesPerTransaction = 90;

const reportItemAttributes = new Set(['pk', 'sk', 'entity', 'day']);

/** The day's counters as an item of the caller's transaction, on the shard `shardKey` hashes to. */
export function reportCounterIncrements(
  table: CaseTableClient,
  day: string,
  increments: Record<string, number>,
  shardKey: string,
): TransactItem[] {
  const shard = shardOf(shardKey, table.shards.reportCounters);
  const counters = Object.entries(increments).filter(([, value]) => value !== 0);
  if (counters.length === 0) return [];
  return [
    {
      Update: {
        TableName: table.tableName,
        Key: reportCountersKey(day, shard),
        UpdateExpression: `SET entity = :entity, #day = :day ADD ${counters
          .map((_, index) => `#c${index} :c${index}`)
          .join(', ')}`,
        ExpressionAttributeNames: {
          '#day': 'day',
          ...Object.fromEntries(counters.map(([name], index) => [`#c${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':entity': 'reportCounters',
          ':day': day,
          ...Object.fromEntries(counters.map(([, value], index) => [`:c${index}`, value])),
        },
      },
    },
  ];
}

/** Each counter summed over changes. */
function summed(changes: readonly CommittedChange[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const change of changes) {
    for (const [name, value] of Object.entries(change.reportCounters?.increments ?? {})) {
      total[name] = (total[name] ?? 0) + value;
    }
  }
  return total;
}

export function dynamoReportCounters(table: CaseTableClient): ReportCounters {
  const markerOf = (change: CommittedChange) => ({
    ...countedChangeKey(change.caseId, change.version),
    entity: 'counted',
    [caseTable.timeToLiveAttribute]: Math.floor(Date.parse(change.at) / 1000) + countedMarkerDays * 86_400,
  });

  /** One transaction: the changes' markers and their summed increments on one shard of the day. */
  async function countOnce(day: string, changes: readonly CommittedChange[]): Promise<number> {
    let pending = [...changes];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const [first] = pending;
      try {
        await table.transact([
          ...pending.map((change) => table.put(markerOf(change), 'attribute_not_exists(pk)')),
          // One shard per transaction, picked by its first change: other batches spread over the others.
          ...reportCounterIncrements(table, day, summed(pending), `${first?.caseId}#${first?.version}`),
        ]);
        return pending.length;
      } catch (error) {
        // Some were counted before (the stream delivered them again): count the rest.
        if (!(error instanceof ConcurrentModification) || attempt >= 3) throw error;
        const markers = pending.map((change) => ({
          change,
          ...countedChangeKey(change.caseId, change.version),
        }));
        const counted = new Set(await table.stored(markers));
        pending = markers.filter((marker) => !counted.has(marker)).map((marker) => marker.change);
      }
    }
    return 0;
  }

  return {
    async countChanges(changes) {
      const byDay = new Map<string, CommittedChange[]>();
      const seen = new Set<string>();
      for (const change of changes) {
        // A transaction may not name one item twice: a change given twice is counted (at most) once.
        const id = `${change.caseId}#${change.version}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const counters = change.reportCounters;
        if (!counters || !Object.values(counters.increments).some((value) => value !== 0)) continue;
        byDay.set(counters.day, [...(byDay.get(counters.day) ?? []), change]);
      }
      let counted = 0;
      for (const [day, ofDay] of byDay) {
        for (let start = 0; start < ofDay.length; start += changesPerTransaction) {
          counted += await countOnce(day, ofDay.slice(start, start + changesPerTransaction));
        }
      }
      return counted;
    },

    async getReportCounters(days) {
      const byDay = new Map<string, Record<string, number>>(days.map((day) => [day, {}]));
      const shards = table.shards.reportCounters;
      const keys = days.flatMap((day) => [
        ...reportCountersKeys(day, shards),
        // Team counters counted before 2026-12-01, kept in an item of their own.
        ...reportTeamCountersKeys(day, shards),
      ]);
      for (const item of await table.batchGet(keys)) {
        const counters = byDay.get(String(item.day));
        if (!counters) continue;
        for (const [name, value] of Object.entries(item)) {
          if (reportItemAttributes.has(name) || typeof value !== 'number') continue;
          counters[name] = (counters[name] ?? 0) + value;
        }
      }
      return [...byDay].map(([day, counters]) => ({ day, counters }));
    },
  };
}
