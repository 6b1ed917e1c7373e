// The daily report counters: one item per day and shard, incremented inside the transaction of the
// case change they count (so each counts exactly once), and summed over shards when read. The team
// counters (the domain's `team.<team>.<name>`) live in a second item per day and shard, in the same
// partition: the day's item, which nearly every counted change updates, does not grow by them, only the
// changes that move a team counter write the team item, and a report reads twice the keys, not a key
// per team.
import type { ReportCounters } from '../use-cases/ports.ts';
import {
  reportCountersKey,
  reportCountersKeys,
  reportTeamCountersKey,
  reportTeamCountersKeys,
  shardOf,
  type TableKey,
} from './case-keys.ts';
import type { CaseTableClient, TransactItem } from './case-table-client.ts';

const reportItemAttributes = new Set(['pk', 'sk', 'entity', 'day']);
const isTeamCounter = (name: string) => name.startsWith('team.');

/** The day's counters as items of the caller's transaction, sharded by case so writers don't collide. */
export function reportCounterIncrements(
  table: CaseTableClient,
  day: string,
  increments: Record<string, number>,
  shardKey: string,
): TransactItem[] {
  const shard = shardOf(shardKey, table.shards.reportCounters);
  const counters = Object.entries(increments).filter(([, value]) => value !== 0);
  return [
    counterUpdate(
      table,
      reportCountersKey(day, shard),
      'reportCounters',
      day,
      counters.filter(([name]) => !isTeamCounter(name)),
    ),
    counterUpdate(
      table,
      reportTeamCountersKey(day, shard),
      'reportTeamCounters',
      day,
      counters.filter(([name]) => isTeamCounter(name)),
    ),
  ].flat();
}

function counterUpdate(
  table: CaseTableClient,
  key: TableKey,
  entity: string,
  day: string,
  counters: ReadonlyArray<[string, number]>,
): TransactItem[] {
  if (counters.length === 0) return [];
  return [
    {
      Update: {
        TableName: table.tableName,
        Key: key,
        UpdateExpression: `SET entity = :entity, #day = :day ADD ${counters
          .map((_, index) => `#c${index} :c${index}`)
          .join(', ')}`,
        ExpressionAttributeNames: {
          '#day': 'day',
          ...Object.fromEntries(counters.map(([name], index) => [`#c${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':entity': entity,
          ':day': day,
          ...Object.fromEntries(counters.map(([, value], index) => [`:c${index}`, value])),
        },
      },
    },
  ];
}

export function dynamoReportCounters(table: CaseTableClient): ReportCounters {
  return {
    async getReportCounters(days) {
      const byDay = new Map<string, Record<string, number>>(days.map((day) => [day, {}]));
      const shards = table.shards.reportCounters;
      const keys = days.flatMap((day) => [
        ...reportCountersKeys(day, shards),
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
