// The abuse limits' counters: one item per limit, scope and fixed window, counted with a conditional ADD
// (so concurrent callers never pass the limit together) and removed by the table's TTL after the window.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { windowAt } from '#shared/abuse-limits';
import type { RateLimitStore } from '../use-cases/ports.ts';
import { rateLimitKey } from './case-keys.ts';
import type { CaseTableClient } from './case-table-client.ts';

export function dynamoRateLimitStore(table: CaseTableClient): RateLimitStore {
  return {
    async take(window, scope, now) {
      const { label, endsAt } = windowAt(window.per, now);
      const retryAfterSeconds = Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
      if (window.limit <= 0) return { allowed: false, retryAfterSeconds };
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: rateLimitKey(window.name, scope, label),
            UpdateExpression: 'ADD #count :one SET entity = :entity, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': window.limit,
              ':entity': 'rateLimit',
              // Kept a day past its window, so a clock a little off never meets a half-expired count.
              ':expiresAt': Math.floor(endsAt.getTime() / 1000) + 86_400,
            },
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfterSeconds };
        throw error;
      }
    },
  };
}
