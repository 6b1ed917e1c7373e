// Submissions already answered, by idempotency key: the record is written in the transaction that
// creates the case (CaseStore.createCase), so a replay finds either both or neither.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore, ScopedIdempotencyKey } from '../use-cases/ports.ts';
import { idempotencyKey } from './case-keys.ts';
import type { CaseTableClient, TransactItem } from './case-table-client.ts';

function idempotencyItem(key: ScopedIdempotencyKey, record: IdempotencyRecord): Record<string, unknown> {
  return { ...idempotencyKey(key), entity: 'idempotency', ...record };
}

/**
 * The record goes in when the key is new, or when the record under it has expired but TTL (which runs
 * up to days late) has not removed it yet: past its window a key is free again.
 */
export function putIdempotencyRecord(
  table: Pick<CaseTableClient, 'put'>,
  key: ScopedIdempotencyKey,
  record: IdempotencyRecord,
  now: Date,
): TransactItem {
  return table.put(idempotencyItem(key, record), 'attribute_not_exists(pk) OR expiresAt < :now', {
    ':now': Math.floor(now.getTime() / 1000),
  });
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
