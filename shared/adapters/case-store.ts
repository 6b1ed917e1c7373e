// The case store: cases, their timelines and the daily case-number sequence. A state change, its
// timeline entries, its outbox notifications and its report counters are written in one transaction.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportCase } from '#domain/support-case';
import type { CaseStore } from '../use-cases/ports.ts';
import {
  caseItem,
  timelineEntriesOfNotification,
  timelineItem,
  toCase,
  toTimelineEntry,
} from './case-items.ts';
import { caseKey, dailySequenceKey } from './case-keys.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';
import { contactCaseItem } from './contact-registry.ts';
import { putIdempotencyRecord } from './idempotency-store.ts';
import { notificationItem } from './outbox.ts';
import { reportCounterIncrements } from './report-counters.ts';

export function dynamoCaseStore(table: CaseTableClient): CaseStore {
  const { client, tableName, put } = table;
  return {
    async nextDailySequence(day) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: dailySequenceKey(day),
          UpdateExpression: 'ADD #value :one SET expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':expires': Math.floor(Date.parse(day) / 1000) + 3 * 86_400,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.value);
    },

    async createCase(supportCase, timeline, idempotency) {
      await table.transact([
        put(caseItem(supportCase, table.shards), 'attribute_not_exists(pk)'),
        ...timeline.map((entry) => put(timelineItem(supportCase.caseId, entry))),
        ...supportCase.contactHashes.map((hash) => put(contactCaseItem(hash, supportCase))),
        ...(idempotency
          ? [
              putIdempotencyRecord(
                table,
                idempotency.key,
                idempotency.record,
                new Date(supportCase.createdAt),
              ),
            ]
          : []),
      ]);
    },

    async getCase(caseId, options) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: caseKey(caseId),
          ConsistentRead: options?.consistent ?? true,
        }),
      );
      return result.Item ? toCase(result.Item) : null;
    },

    async getCaseWithTimeline(caseId) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).pk },
        ConsistentRead: true,
      });
      const caseRecord = items.find((item) => item.entity === 'case');
      if (!caseRecord) return null;
      const timeline = [
        ...items.filter((item) => item.entity === 'timeline').map(toTimelineEntry),
        ...items.filter((item) => item.entity === 'notification').flatMap(timelineEntriesOfNotification),
      ];
      return { supportCase: toCase(caseRecord), timeline };
    },

    async getCases(caseIds) {
      const items = await table.batchGet([...new Set(caseIds)].map(caseKey));
      return items.map(toCase);
    },

    async saveCase(supportCase, changes) {
      const saved: SupportCase = { ...supportCase, version: supportCase.version + 1 };
      await table.transact([
        {
          Put: {
            TableName: tableName,
            Item: caseItem(saved, table.shards),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': supportCase.version },
          },
        },
        ...(changes.timeline ?? []).map((entry) =>
          put(timelineItem(supportCase.caseId, entry), 'attribute_not_exists(pk)'),
        ),
        ...(changes.notifications ?? []).map((intent) =>
          put(
            notificationItem(intent, saved.updatedAt, table.shards.pendingOutbox),
            'attribute_not_exists(pk)',
          ),
        ),
        ...(changes.reportCounters
          ? reportCounterIncrements(
              table,
              changes.reportCounters.day,
              changes.reportCounters.increments,
              supportCase.caseId,
            )
          : []),
      ]);
      return saved;
    },

    async addTimelineEntry(caseId, entry) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: timelineItem(caseId, entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
