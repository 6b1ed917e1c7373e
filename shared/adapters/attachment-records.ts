// Attachment items in the case table: one per attachment beside its case, and one counter of the slots a
// case has taken, so that a case never holds more than its limit however many uploads race.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '#domain/attachments';
import type { AttachmentRecords } from '../use-cases/ports.ts';
import { ConcurrentModification } from '../use-cases/ports.ts';
import { timelineItem } from './case-items.ts';
import { attachmentCountKey, attachmentRecordKey, attachmentsOfCase } from './case-keys.ts';
import type { CaseTableClient, TransactItem } from './case-table-client.ts';

function toAttachment(item: Record<string, unknown>): Attachment {
  const { pk: _pk, sk: _sk, entity: _entity, ...attachment } = item;
  return attachment as unknown as Attachment;
}

export function dynamoAttachmentRecords(table: CaseTableClient): AttachmentRecords {
  const { client, tableName } = table;
  /** The counter moves by `by`; taking a slot is conditional on a free one. */
  const countBy = (caseId: string, by: number, max?: number): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: attachmentCountKey(caseId),
      UpdateExpression: 'ADD #taken :by SET entity = :entity',
      ExpressionAttributeNames: { '#taken': 'taken' },
      ExpressionAttributeValues: { ':by': by, ':entity': 'attachmentCount', ...(max ? { ':max': max } : {}) },
      ...(max ? { ConditionExpression: 'attribute_not_exists(#taken) OR #taken < :max' } : {}),
    },
  });
  const items = (caseId: string) =>
    table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': attachmentsOfCase(caseId).pk,
        ':prefix': attachmentsOfCase(caseId).sk,
      },
      ConsistentRead: true,
    });

  return {
    async reserve(attachment, max) {
      try {
        await table.transact([
          countBy(attachment.caseId, 1, max),
          table.put(
            {
              ...attachmentRecordKey(attachment.caseId, attachment.attachmentId),
              entity: 'attachment',
              ...attachment,
            },
            'attribute_not_exists(pk)',
          ),
        ]);
        return true;
      } catch (error) {
        if (error instanceof ConcurrentModification) return false;
        throw error;
      }
    },

    async get(caseId, attachmentId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: attachmentRecordKey(caseId, attachmentId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toAttachment(result.Item) : null;
    },

    async list(caseId) {
      return (await items(caseId)).map(toAttachment).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async settle(attachment, outcome) {
      const { caseId, attachmentId } = attachment;
      const settled: Attachment =
        outcome.state === 'uploaded'
          ? { ...attachment, state: 'uploaded', size: outcome.size, uploadedAt: outcome.uploadedAt }
          : { ...attachment, state: 'rejected', rejectedReason: outcome.reason };
      const write = table.put(
        { ...attachmentRecordKey(caseId, attachmentId), entity: 'attachment', ...settled },
        '#state = :pending',
        { ':pending': 'pending' },
      );
      if (write.Put) write.Put.ExpressionAttributeNames = { '#state': 'state' };
      try {
        await table.transact([
          write,
          ...(outcome.state === 'uploaded'
            ? [table.put(timelineItem(caseId, outcome.entry), 'attribute_not_exists(pk)')]
            : [countBy(caseId, -1)]),
        ]);
        return true;
      } catch (error) {
        if (error instanceof ConcurrentModification) return false;
        throw error;
      }
    },

    async deleteAll(caseId) {
      const found = await items(caseId);
      for (const item of [...found, attachmentCountKey(caseId)]) {
        await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
      }
      return found.length;
    },
  };
}
