// What every store does with the case table: read all pages, batch-get, read single items together, and
// write transactions that retry on contention and report a lost condition as ConcurrentModification. A
// transaction of one item is sent as the conditional single write it equals.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentModification } from '../use-cases/ports.ts';
import { allShards, type TableKey } from './case-keys.ts';
import { caseTable, type IndexDefinition, type ShardCount, type ShardLayout } from './case-table.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: TableKey } };

export interface CaseTableClient {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How many write shards each hot key family has (the table definition's, unless a test picks others). */
  shards: ShardLayout;
  /** Every item of a query, page after page. */
  queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]>;
  /** Every item of a sparse, sharded index whose sort key is at or before `upTo`, over all shards. */
  queryShardsUpTo(
    index: IndexDefinition,
    upTo: string,
    shards: ShardCount,
  ): Promise<Record<string, unknown>[]>;
  /** The same, one round at a time: the next page of every shard not yet read to its end, in parallel. */
  pageShardsUpTo(
    index: IndexDefinition,
    upTo: string,
    shards: ShardCount,
    /** Put before each shard name when the index's partitions are families of shards (`close#S3`). */
    partitionPrefix?: string,
  ): AsyncIterable<Record<string, unknown>[]>;
  /**
   * One item by its key (undefined if none). Reads asked for before the event loop turns go out together,
   * one call for all of them: GetItem for a lone key, else BatchGetItem, one per consistency. A use case
   * that reads two items at once (Promise.all) makes one call, and so do a batch's records read together.
   * A function that reads this way needs `batchGet` for the families it reads (infra/catalogue.ts).
   */
  get(key: TableKey, options?: { consistent?: boolean }): Promise<Record<string, unknown> | undefined>;
  /** The items found under these keys, in chunks of 100 and retrying unprocessed keys. */
  batchGet(keys: readonly TableKey[], options?: { consistent?: boolean }): Promise<Record<string, unknown>[]>;
  /** Which of these items are stored (by their keys): a filter over `items`, keeping those that are. */
  stored<T extends Record<string, unknown>>(items: readonly T[]): Promise<T[]>;
  /** BatchWriteItem in chunks of 25, writing again (with backoff) whatever DynamoDB left unprocessed. */
  batchWrite(requests: readonly WriteRequest[]): Promise<void>;
  transact(items: TransactItem[]): Promise<void>;
  put(item: Record<string, unknown>, condition?: string, values?: Record<string, unknown>): TransactItem;
}

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
  }
  return false;
}

interface WaitingRead {
  key: TableKey;
  resolve(item: Record<string, unknown> | undefined): void;
  reject(error: unknown): void;
}

/** An item's key, as text: for sets and maps of keys. */
export const tableKeyText = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}\n${String(key.sk)}`;
/** An item's key. */
export const tableKeyOf = (item: { pk?: unknown; sk?: unknown }): TableKey => ({
  pk: String(item.pk),
  sk: String(item.sk),
});

const transactionConflictAttempts = 4;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The pause before asking again for what a batch call left unprocessed: 100 ms, doubling, at most 1 s. */
const unprocessedPauseMs = (attempt: number) => Math.min(1000, 50 * 2 ** attempt);
/** BatchGetItem requests (100 keys each) one batchGet has in flight at once. */
const batchGetsAtOnce = 16;

function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

/** A transaction's only write, sent as the single write it equals (a lone condition check writes nothing). */
async function sendSingleWrite(client: DynamoDBDocumentClient, item: TransactItem): Promise<void> {
  if (item.Put) await client.send(new PutCommand(item.Put));
  else if (item.Update) await client.send(new UpdateCommand(item.Update));
  else if (item.Delete) await client.send(new DeleteCommand(item.Delete));
  else throw new Error('A transaction of one condition check writes nothing');
}

export function caseTableClient(
  client: DynamoDBDocumentClient,
  tableName: string,
  shards: ShardLayout = caseTable.shards,
): CaseTableClient {
  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function batchGet(
    keys: readonly TableKey[],
    options?: { consistent?: boolean },
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    const chunks: Record<string, unknown>[][] = [];
    for (let start = 0; start < keys.length; start += 100) chunks.push(keys.slice(start, start + 100));
    // A few chunks at a time: a report over many days reads hundreds of keys, and one chunk after
    // another could outlast the function's timeout.
    for (let first = 0; first < chunks.length; first += batchGetsAtOnce) {
      await Promise.all(
        chunks.slice(first, first + batchGetsAtOnce).map(async (chunk) => {
          let pending: Record<string, unknown>[] | undefined = chunk;
          for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
            // Keys come back unprocessed when a partition is throttled: ask again after a pause, as
            // AWS advises, not at once.
            if (attempt > 0) await pause(unprocessedPauseMs(attempt));
            const result = await client.send(
              new BatchGetCommand({
                RequestItems: {
                  [tableName]: { Keys: pending, ...(options?.consistent ? { ConsistentRead: true } : {}) },
                },
              }),
            );
            found.push(...(result.Responses?.[tableName] ?? []));
            pending = result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
          }
        }),
      );
    }
    return found;
  }

  /** Reads waiting for the event loop to turn, by consistency. */
  const waiting = new Map<boolean, Array<WaitingRead>>();

  async function readTogether(consistent: boolean, reads: readonly WaitingRead[]): Promise<void> {
    const [only] = reads;
    try {
      const keys = new Map(reads.map((read) => [tableKeyText(read.key), read.key]));
      if (keys.size === 1 && only) {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: only.key, ConsistentRead: consistent }),
        );
        for (const read of reads) read.resolve(Item);
        return;
      }
      const found = new Map(
        (await batchGet([...keys.values()], { consistent })).map((item) => [tableKeyText(item), item]),
      );
      for (const read of reads) read.resolve(found.get(tableKeyText(read.key)));
    } catch (error) {
      for (const read of reads) read.reject(error);
    }
  }

  function get(key: TableKey, options?: { consistent?: boolean }) {
    const consistent = options?.consistent ?? false;
    return new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      if (waiting.size === 0) {
        setImmediate(() => {
          const batches = [...waiting];
          waiting.clear();
          for (const [batchConsistent, reads] of batches) void readTogether(batchConsistent, reads);
        });
      }
      const reads = waiting.get(consistent) ?? [];
      reads.push({ key: { pk: key.pk, sk: key.sk }, resolve, reject });
      waiting.set(consistent, reads);
    });
  }

  return {
    client,
    tableName,
    shards,

    queryAll,

    get,

    async queryShardsUpTo(index, upTo, indexShards) {
      const perShard = await Promise.all(
        allShards(indexShards).map((shard) =>
          queryAll({
            IndexName: index.indexName,
            KeyConditionExpression: `${index.partitionKey.name} = :shard AND ${index.sortKey.name} <= :upTo`,
            ExpressionAttributeValues: { ':shard': shard, ':upTo': upTo },
          }),
        ),
      );
      return perShard.flat();
    },

    async *pageShardsUpTo(index, upTo, indexShards, partitionPrefix = '') {
      let positions: Array<{ shard: string; startKey?: Record<string, unknown> }> = allShards(
        indexShards,
      ).map((shard) => ({ shard }));
      while (positions.length > 0) {
        const pages = await Promise.all(
          positions.map(async ({ shard, startKey }) => {
            const page = await client.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: index.indexName,
                KeyConditionExpression: `${index.partitionKey.name} = :shard AND ${index.sortKey.name} <= :upTo`,
                ExpressionAttributeValues: { ':shard': `${partitionPrefix}${shard}`, ':upTo': upTo },
                ExclusiveStartKey: startKey,
              }),
            );
            return { shard, items: page.Items ?? [], startKey: page.LastEvaluatedKey };
          }),
        );
        yield pages.flatMap((page) => page.items);
        positions = pages.filter((page) => page.startKey !== undefined);
      }
    },

    batchGet,

    async stored(items) {
      const found = new Set((await batchGet(items.map(tableKeyOf))).map(tableKeyText));
      return items.filter((item) => found.has(tableKeyText(item)));
    },

    async batchWrite(requests) {
      for (let start = 0; start < requests.length; start += 25) {
        let pending: WriteRequest[] = requests.slice(start, start + 25);
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 0) await pause(unprocessedPauseMs(attempt));
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
        }
      }
    },

    async transact(items) {
      // One item is atomic on its own: a conditional single write bills half a transaction's units.
      const [only] = items;
      if (items.length === 1 && only) {
        try {
          await sendSingleWrite(client, only);
          return;
        } catch (error) {
          if (isConditionFailure(error)) throw new ConcurrentModification('A conditional write failed');
          throw error;
        }
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return;
        } catch (error) {
          if (isConditionFailure(error)) throw new ConcurrentModification('A conditional write failed');
          // Another transaction held one of the items (e.g. a shared report counter): nothing was written,
          // so the same request is simply tried again after a short, jittered pause.
          if (isTransactionConflict(error) && attempt < transactionConflictAttempts) {
            await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 40));
            continue;
          }
          throw error;
        }
      }
    },

    put(item, condition, values) {
      return {
        Put: {
          TableName: tableName,
          Item: item,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      };
    },
  };
}
