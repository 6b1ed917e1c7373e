// What the case table client does when DynamoDB leaves part of a batch call unprocessed (a throttled
// partition): it asks again for exactly that part, after a pause, until nothing is left.
import { BatchGetCommand, type BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { caseTableClient } from '../../../shared/adapters/case-table-client.ts';

const tableName = 'cases';
const key = (n: number) => ({ pk: `CASE#U${n}`, sk: 'CASE' });

/** A client whose first answer leaves `left` unprocessed; records each request's keys and its time. */
function throttledOnce(left: readonly Record<string, unknown>[]) {
  const requests: Array<{ keys: unknown[]; at: number; consistent?: boolean }> = [];
  let first = true;
  const client = {
    send: async (command: BatchGetCommand | BatchWriteCommand) => {
      const at = performance.now();
      if (command instanceof BatchGetCommand) {
        const request = command.input.RequestItems?.[tableName];
        const keys = request?.Keys ?? [];
        requests.push({ keys, at, consistent: request?.ConsistentRead });
        const answered = first ? keys.filter((k) => !left.includes(k)) : keys;
        const unprocessed = first ? { [tableName]: { Keys: [...left] } } : {};
        first = false;
        return {
          Responses: { [tableName]: answered.map((k) => ({ ...k, entity: 'case' })) },
          UnprocessedKeys: unprocessed,
        };
      }
      const writes = command.input.RequestItems?.[tableName] ?? [];
      requests.push({ keys: writes, at });
      const unprocessed = first ? { [tableName]: writes.filter((w) => left.includes(w)) } : {};
      first = false;
      return { UnprocessedItems: unprocessed };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, requests };
}

describe('unprocessed parts of batch calls', () => {
  it('reads the unprocessed keys again after a pause, and returns every item once', async () => {
    const keys = [key(1), key(2), key(3)];
    const { client, requests } = throttledOnce([keys[1] as Record<string, unknown>]);
    const items = await caseTableClient(client, tableName).batchGet(keys, { consistent: true });
    expect(items.map((item) => item.pk).sort()).toEqual(['CASE#U1', 'CASE#U2', 'CASE#U3']);
    expect(requests.map((request) => request.keys)).toEqual([keys, [keys[1]]]);
    expect(requests.every((request) => request.consistent === true)).toBe(true);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(90);
  });

  it('writes the unprocessed items again after a pause', async () => {
    const writes = [1, 2].map((n) => ({ PutRequest: { Item: { ...key(n), entity: 'case' } } }));
    const { client, requests } = throttledOnce([writes[0] as Record<string, unknown>]);
    await caseTableClient(client, tableName).batchWrite(writes);
    expect(requests.map((request) => request.keys)).toEqual([writes, [writes[0]]]);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(90);
  });
});
