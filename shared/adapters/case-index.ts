// Cases found through the table's indexes: due clocks for the sweep, cases stuck in a status, and the
// agent list by urgency. Reads only; the case store writes the index keys with every case.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseIndex, UrgentCase } from '../use-cases/ports.ts';
import { toCaseListRow } from './case-items.ts';
import { caseIdOfKey, caseIdOfUrgencyKey, caseKey, statusKey, teamStatusKey } from './case-keys.ts';
import { caseTable } from './case-table.ts';
import type { CaseTableClient } from './case-table-client.ts';

export function dynamoCaseIndex(table: CaseTableClient): CaseIndex {
  return {
    async findDueCaseIds(now) {
      const due = await table.queryShardsUpTo(caseTable.indexes.dueClocks, now);
      return due.map((item) => caseIdOfKey(item.pk));
    },

    async findStuckInIntake(createdBefore) {
      const items = await table.queryAll({
        IndexName: caseTable.indexes.byStatus.indexName,
        KeyConditionExpression: 'statusKey = :status',
        FilterExpression: 'createdAt < :before AND attribute_not_exists(intakeFailedAt)',
        ExpressionAttributeValues: { ':status': statusKey('received'), ':before': createdBefore },
        ProjectionExpression: 'caseId',
      });
      return items.map((item) => String(item.caseId));
    },

    async listCasesByUrgency({ status, team, breachedOnly, limit, startAfter }) {
      const index = team ? caseTable.indexes.byTeamStatus : caseTable.indexes.byStatus;
      const keyName = index.partitionKey.name;
      const keyValue = team ? teamStatusKey(team, status) : statusKey(status);
      let startKey: Record<string, unknown> | undefined = startAfter
        ? { ...caseKey(caseIdOfUrgencyKey(startAfter)), [keyName]: keyValue, urgencyKey: startAfter }
        : undefined;
      const cases: UrgentCase[] = [];
      // One more than asked tells whether anything follows the page.
      while (cases.length <= limit) {
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
            Limit: breachedOnly ? Math.max(50, limit + 1 - cases.length) : limit + 1 - cases.length,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          cases.push({ ...toCaseListRow(item), urgencyKey: String(item.urgencyKey) });
        }
        startKey = page.LastEvaluatedKey;
        if (!startKey) break;
      }
      return { cases: cases.slice(0, limit), exhausted: cases.length <= limit };
    },
  };
}
