// The daily report counters: one item per day and shard, incremented inside the transaction of the
// case change they count (so each counts exactly once), and summed over shards when read.
import type { ReportCounters } from '../use-cases/ports.ts';
import { reportCountersKey, reportCountersKeys, shardOf } from './case-keys.ts';
import type { CaseTableClient, TransactItem } from './case-table-client.ts';

const reportItemAttributes = new Set(['pk', 'sk', 'entity', 'day']);

/** The day's counters as an item of the caller's transaction, sharded by case so writers don't collide. */
export function reportCounterIncrements(
  table: CaseTableClient,
  day: string,
  increments: Record<string, number>,
  shardKey: string,
): TransactItem[] {
  const counters = Object.entries(increments).filter(([, value]) => value !== 0);
  if (counters.length === 0) return [];
  return [
    {
      Update: {
        TableName: table.tableName,
        Key: reportCountersKey(day, shardOf(shardKey, table.shards.reportCounters)),
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

export function dynamoReportCounters(table: CaseTableClient): ReportCounters {
  return {
    async getReportCounters(days) {
      const byDay = new Map<string, Record<string, number>>(days.map((day) => [day, {}]));
      for (const item of await table.batchGet(
        days.flatMap((day) => reportCountersKeys(day, table.shards.reportCounters)),
      )) {
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
