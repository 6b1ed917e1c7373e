// The retention store: due cases from the sparse `retentionDue` index, and the batch writes that mask,
// forget and delete a case's items. Every write is idempotent, so a run that stopped half-way is simply
// run again; the case item is written (anonymised) or deleted last, so the index keeps pointing at an
// unfinished case until it is done.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { retentionSteps } from '#domain/retention';
import type { SupportCase } from '#domain/support-case';
import type { StoredNotification } from '../use-cases/ports.ts';
import type { RetentionStore } from '../use-cases/retention-ports.ts';
import { timelineItem, toCase, toTimelineEntry } from './case-items.ts';
import { caseIdOfKey, caseKey, contactCaseKey, notificationKey, retentionShardPrefix } from './case-keys.ts';
import { caseTable } from './case-table.ts';
import type { CaseTableClient } from './case-table-client.ts';

export function dynamoRetentionStore(table: CaseTableClient): RetentionStore {
  const { client, tableName } = table;

  const contactKeys = (supportCase: Pick<SupportCase, 'caseId' | 'createdAt' | 'contactHashes'>) =>
    [...new Set(supportCase.contactHashes)].map((hash) =>
      contactCaseKey(hash, supportCase.createdAt, supportCase.caseId),
    );

  return {
    async *dueCaseIdPages(cutoffs) {
      for (const step of retentionSteps) {
        for await (const items of table.pageShardsUpTo(
          caseTable.indexes.retentionDue,
          cutoffs[step],
          table.shards.dueClocks,
          retentionShardPrefix(step),
        )) {
          yield items.map((item) => caseIdOfKey(item.pk));
        }
      }
    },

    async loadCaseRecord(caseId) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).pk },
        ConsistentRead: true,
      });
      const caseItem = items.find((item) => item.entity === 'case');
      if (!caseItem) return null;
      return {
        supportCase: toCase(caseItem),
        timeline: items.filter((item) => item.entity === 'timeline').map(toTimelineEntry),
        notifications: items
          .filter((item) => item.entity === 'notification')
          .map((item) => item as unknown as StoredNotification),
      };
    },

    async maskCaseItems(caseId, timeline, notifications) {
      await table.batchWrite(
        timeline.map((entry) => ({ PutRequest: { Item: timelineItem(caseId, entry) } })),
      );
      for (const { notificationId, data, settle } of notifications) {
        const set = [...(data ? ['#data = :data'] : []), ...(settle ? ['#status = :skipped'] : [])];
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: notificationKey(caseId, notificationId),
            UpdateExpression: `${set.length > 0 ? `SET ${set.join(', ')} ` : ''}REMOVE recipient, outboxShard, leaseUntil${data ? '' : ', #data'}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#data': 'data', ...(settle ? { '#status': 'status' } : {}) },
            ...(set.length > 0
              ? {
                  ExpressionAttributeValues: {
                    ...(data ? { ':data': data } : {}),
                    ...(settle ? { ':skipped': 'skipped' } : {}),
                  },
                }
              : {}),
          }),
        );
      }
    },

    async forgetContacts(supportCase) {
      await table.batchWrite(contactKeys(supportCase).map((Key) => ({ DeleteRequest: { Key } })));
    },

    async deleteCase(supportCase) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKey(supportCase.caseId).pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      });
      const caseItemKey = caseKey(supportCase.caseId);
      const others = items
        .map((item) => ({ pk: String(item.pk), sk: String(item.sk) }))
        .filter((key) => key.sk !== caseItemKey.sk);
      await table.batchWrite(
        [...others, ...contactKeys(supportCase)].map((Key) => ({ DeleteRequest: { Key } })),
      );
      await table.batchWrite([{ DeleteRequest: { Key: caseItemKey } }]);
      return others.length + (items.length > others.length ? 1 : 0);
    },
  };
}
