// Submissions answered, or being answered, by idempotency key. The record is put on its own, before the
// case (since 2026-11-30; before, in the transaction that created the case): a record without its case is
// a submission still in flight, or one that stopped between the two writes, and submitCase's retry
// creates the case under the record's id.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../use-cases/ports.ts';
import { idempotencyKey } from './case-keys.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';

export function dynamoIdempotencyStore(table: CaseTableClient): IdempotencyStore {
  return {
    async getIdempotencyRecord(key) {
      const result = await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: idempotencyKey(key), ConsistentRead: true }),
      );
      return (result.Item as IdempotencyRecord | undefined) ?? null;
    },

    async putIdempotencyRecord(key, record, now) {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.tableName,
            Item: { ...idempotencyKey(key), entity: 'idempotency', ...record },
            // The key is new, or the record under it has expired but TTL (which runs up to days late) has
            // not removed it yet: past its window a key is free again.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
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
