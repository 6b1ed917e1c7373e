// The daily report counters: one item per day and shard, summed over shards when read. The table stream's
// completer counts committed case changes a batch at a time (countChanges): each day of a batch is one
// UpdateItem, on the item of the shard its lane (the stream shard the batch came through) hashes to, that
// adds the batch's increments and moves the lane's mark on that item to the batch's last position, on
// condition that the mark is before the batch's first. A lane hands every record over first in order, so
// a change the stream delivers again is at or before the mark and is not counted again; a batch delivered
// again with new records after it counts only those (the mark is read back after a refused update). Until
// 2026-11-30 (session 10) every counted change put a marker beside its case in the same transaction as the counters:
// DynamoDB bills each item of a transaction at 2 units a KB, so a case alone paid 4 units a counted change
// (28 a lifecycle) where it now pays 1, and a batch of 100 on a busy day one update of the day's item
// (about 6 KB) instead of 100 markers and the item, each billed twice (Benchmarks, "Report counters on a
// busy day"). The team counters (the domain's `team.<team>.<name>`) are names on the same item; until then
// they were a second item in the partition (`TEAMS`), which reports still read and add.
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CommittedChange, ReportCounters } from '../use-cases/ports.ts';
import { reportCountersKey, reportCountersKeys, reportTeamCountersKeys, shardOf } from './case-keys.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';

const reportItemAttributes = new Set(['pk', 'sk', 'entity', 'day']);
/** A lane's mark on a counter item: its name (a hash of the stream shard's id) starts with this. */
const laneMarkPrefix = 'lane#';

/** The attribute that holds how far a lane has counted into an item. */
export const laneMarkAttribute = (lane: string): string =>
  `${laneMarkPrefix}${createHash('sha256').update(lane).digest('hex').slice(0, 16)}`;

/**
 * A position as the mark holds it: DynamoDB Streams sequence numbers are 21 to 40 decimal digits, so
 * padded to 40 they compare as strings (in a condition) as they do as numbers.
 */
export function markOfPosition(position: string): string {
  if (!/^\d{1,40}$/.test(position)) throw new Error(`Not a stream sequence number: ${position.slice(0, 60)}`);
  return position.padStart(40, '0');
}

/** Each counter summed over changes, those that sum to nothing left out. */
function summed(changes: readonly CommittedChange[]): Array<[string, number]> {
  const total: Record<string, number> = {};
  for (const change of changes) {
    for (const [name, value] of Object.entries(change.reportCounters?.increments ?? {})) {
      total[name] = (total[name] ?? 0) + value;
    }
  }
  return Object.entries(total).filter(([, value]) => value !== 0);
}

interface Counted {
  change: CommittedChange;
  mark: string;
}

export function dynamoReportCounters(table: CaseTableClient): ReportCounters {
  /** One day's changes of one lane, in lane order: one conditional update, or two after a redelivery. */
  async function countDay(day: string, lane: string, entries: readonly Counted[]): Promise<number> {
    const key = reportCountersKey(day, shardOf(lane, table.shards.reportCounters));
    const markName = laneMarkAttribute(lane);
    let pending = entries;
    for (let attempt = 1; ; attempt += 1) {
      const first = pending[0];
      const last = pending.at(-1);
      if (!first || !last) return 0;
      const counters = summed(pending.map((entry) => entry.change));
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: key,
            UpdateExpression: `SET entity = :entity, #day = :day, #mark = :last${
              counters.length > 0 ? ` ADD ${counters.map((_, n) => `#c${n} :c${n}`).join(', ')}` : ''
            }`,
            ConditionExpression: 'attribute_not_exists(#mark) OR #mark < :first',
            ExpressionAttributeNames: {
              '#day': 'day',
              '#mark': markName,
              ...Object.fromEntries(counters.map(([name], n) => [`#c${n}`, name])),
            },
            ExpressionAttributeValues: {
              ':entity': 'reportCounters',
              ':day': day,
              ':first': first.mark,
              ':last': last.mark,
              ...Object.fromEntries(counters.map(([, value], n) => [`:c${n}`, value])),
            },
          }),
        );
        return pending.length;
      } catch (error) {
        // Refused: the lane counted into this item before (a redelivery). Count what lies past its mark.
        // The lane's batches run one at a time, so the second attempt finds the mark where it stays.
        if (!isConditionFailure(error) || attempt >= 3) throw error;
        const stored = await table.get(key, { consistent: true });
        const counted = String(stored?.[markName] ?? '');
        pending = pending.filter((entry) => entry.mark > counted);
      }
    }
  }

  return {
    async countChanges({ lane, changes }) {
      const byDay = new Map<string, Counted[]>();
      const seen = new Set<string>();
      const ordered = changes
        .map(({ change, position }) => ({ change, mark: markOfPosition(position) }))
        .sort((a, b) => (a.mark < b.mark ? -1 : a.mark > b.mark ? 1 : 0));
      for (const entry of ordered) {
        // A change given twice in one batch is counted (at most) once.
        const id = `${entry.change.caseId}#${entry.change.version}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const counters = entry.change.reportCounters;
        if (!counters || !Object.values(counters.increments).some((value) => value !== 0)) continue;
        byDay.set(counters.day, [...(byDay.get(counters.day) ?? []), entry]);
      }
      let counted = 0;
      for (const [day, ofDay] of byDay) counted += await countDay(day, lane, ofDay);
      return counted;
    },

    async getReportCounters(days) {
      const byDay = new Map<string, Record<string, number>>(days.map((day) => [day, {}]));
      const shards = table.shards.reportCounters;
      const keys = days.flatMap((day) => [
        ...reportCountersKeys(day, shards),
        // Team counters counted before 2026-11-30 (session 9), kept in an item of their own.
        ...reportTeamCountersKeys(day, shards),
      ]);
      for (const item of await table.batchGet(keys)) {
        const counters = byDay.get(String(item.day));
        if (!counters) continue;
        for (const [name, value] of Object.entries(item)) {
          if (
            reportItemAttributes.has(name) ||
            name.startsWith(laneMarkPrefix) ||
            typeof value !== 'number'
          ) {
            continue;
          }
          counters[name] = (counters[name] ?? 0) + value;
        }
      }
      return [...byDay].map(([day, counters]) => ({ day, counters }));
    },
  };
}
