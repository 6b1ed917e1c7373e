// Submissions already answered, by idempotency key: the record is written in the transaction that
// creates the case (CaseStore.createCase), so a replay finds either both or neither.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../use-cases/ports.ts';
import { idempotencyKey } from './case-keys.ts';
import type { CaseTableClient } from './case-table-client.ts';

export function idempotencyItem(key: string, record: IdempotencyRecord): Record<string, unknown> {
  return { ...idempotencyKey(key), entity: 'idempotency', ...record };
}

export function dynamoIdempotencyStore(table: CaseTableClient): IdempotencyStore {
  return {
    async getIdempotencyRecord(key) {
      const result = await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: idempotencyKey(key), ConsistentRead: true }),
      );
      return (result.Item as IdempotencyRecord | undefined) ?? null;
    },
  };
}
