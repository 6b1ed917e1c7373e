// Cases found through the table's indexes: due clocks for the sweep, cases stuck in a status, and the
// agent list by urgency. Reads only; the case store writes the index keys with every case. A status key
// is write-sharded and per team, so a list reads every shard (of every team, without a team filter) in
// parallel and merges them by urgency.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseIndex, UrgentCase } from '../use-cases/ports.ts';
import { toCaseListRow } from './case-items.ts';
import { caseIdOfKey, caseIdOfUrgencyKey, caseKey, statusKeys } from './case-keys.ts';
import { caseTable } from './case-table.ts';
import type { CaseTableClient } from './case-table-client.ts';

interface ShardPageRequest {
  keyValue: string;
  breachedOnly: boolean;
  /** Items wanted after `startAfter`. */
  wanted: number;
  startAfter?: string;
}

export function dynamoCaseIndex(table: CaseTableClient): CaseIndex {
  /** Up to `wanted` cases of one shard of a status key, by urgency, after the urgency key given. */
  async function shardPage({ keyValue, breachedOnly, wanted, startAfter }: ShardPageRequest) {
    const index = caseTable.indexes.byTeamStatus;
    const keyName = index.partitionKey.name;
    // Urgency keys end with the case id, so the same position is exact in every shard.
    let startKey: Record<string, unknown> | undefined = startAfter
      ? { ...caseKey(caseIdOfUrgencyKey(startAfter)), [keyName]: keyValue, urgencyKey: startAfter }
      : undefined;
    const cases: UrgentCase[] = [];
    while (cases.length < wanted) {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#partition = :partition',
          ...(breachedOnly ? { FilterExpression: 'breached = :breached' } : {}),
          ExpressionAttributeNames: { '#partition': keyName },
          ExpressionAttributeValues: {
            ':partition': keyValue,
            ...(breachedOnly ? { ':breached': true } : {}),
          },
          // A filter drops items after the limit is applied, so read in larger pages when filtering.
          Limit: breachedOnly ? Math.max(50, wanted - cases.length) : wanted - cases.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        cases.push({ ...toCaseListRow(item), urgencyKey: String(item.urgencyKey) });
      }
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return cases.slice(0, wanted);
  }

  return {
    async findDueCaseIds(now) {
      const due = await table.queryShardsUpTo(caseTable.indexes.dueClocks, now, table.shards.dueClocks);
      return due.map((item) => caseIdOfKey(item.pk));
    },

    async *dueCaseIdPages(now) {
      for await (const items of table.pageShardsUpTo(
        caseTable.indexes.dueClocks,
        now,
        table.shards.dueClocks,
      )) {
        yield items.map((item) => caseIdOfKey(item.pk));
      }
    },

    async findStuckInIntake(createdBefore) {
      const perShard = await Promise.all(
        statusKeys('received', undefined, table.shards.statusKeys).map((keyValue) =>
          table.queryAll({
            IndexName: caseTable.indexes.byTeamStatus.indexName,
            KeyConditionExpression: 'teamStatusKey = :status',
            FilterExpression: 'createdAt < :before AND attribute_not_exists(intakeFailedAt)',
            ExpressionAttributeValues: { ':status': keyValue, ':before': createdBefore },
            ProjectionExpression: 'caseId',
          }),
        ),
      );
      return perShard.flat().map((item) => String(item.caseId));
    },

    async listCasesByUrgency({ status, team, breachedOnly, limit, startAfter }) {
      // One more than asked tells whether anything follows the page; each shard may hold all of them.
      // Without a team every team's shards are read: urgency keys end with the case id, so the merge is exact.
      const perShard = await Promise.all(
        statusKeys(status, team, table.shards.statusKeys).map((keyValue) =>
          shardPage({ keyValue, breachedOnly: breachedOnly === true, wanted: limit + 1, startAfter }),
        ),
      );
      const cases = perShard.flat().sort((a, b) => a.urgencyKey.localeCompare(b.urgencyKey));
      return { cases: cases.slice(0, limit), exhausted: cases.length <= limit };
    },
  };
}
