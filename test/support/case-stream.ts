// The case table's stream, for handler tests: what Lambda's event source does between a write and the
// function, done on request. Every record written to a test's table since the last drain is read from
// DynamoDB Local's stream, filtered by CaseChangeCompleter's catalogue filter and handed to its handler in
// batches of its size, in the stream's order; a failed record fails the drain (a test wants to see it).
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { handler } from '../../functions/stream/complete-case-changes.ts';
import { functions } from '../../infra/catalogue.ts';
import { checkFilterPattern, matchesFilter } from '../../infra/sandbox/stream-filter.ts';
import {
  dynamoDbStreamReader,
  latestStreamArn,
  type StreamShard,
} from '../../infra/sandbox/table-stream-source.ts';
import { lambdaContext } from './integration-environment.ts';

const completer = functions.find((fn) => fn.name === 'CaseChangeCompleter');
if (completer?.trigger.kind !== 'tableStream') throw new Error('CaseChangeCompleter has no stream trigger');
const trigger = completer.trigger;
const pattern: unknown = trigger.filterPattern;
checkFilterPattern(pattern);
const filter = pattern;

/** Per table: the last record each shard handed over. */
const positions = new Map<string, Map<string, string>>();

/** Parents before their children, so a key's records arrive in the order they were written. */
function inStreamOrder(shards: StreamShard[]): StreamShard[] {
  const ordered: StreamShard[] = [];
  const byId = new Map(shards.map((shard) => [shard.shardId, shard]));
  const visit = (shard: StreamShard) => {
    if (ordered.includes(shard)) return;
    const parent = shard.parentShardId ? byId.get(shard.parentShardId) : undefined;
    if (parent) visit(parent);
    ordered.push(shard);
  };
  for (const shard of shards) visit(shard);
  return ordered;
}

/**
 * Hands every change written to `tableName` since the last drain to CaseChangeCompleter, as its event
 * source would: how many records reached it.
 */
export async function drainCaseStream(env: {
  tableName: string;
  emulators: { dynamodb: string };
}): Promise<number> {
  const client = new DynamoDBStreamsClient({ endpoint: env.emulators.dynamodb });
  try {
    const streamArn = await latestStreamArn(client, env.tableName);
    const reader = dynamoDbStreamReader(client, streamArn, {
      awsRegion: 'us-east-1',
      eventSourceArn: streamArn,
    });
    const seen = positions.get(env.tableName) ?? new Map<string, string>();
    positions.set(env.tableName, seen);
    let delivered = 0;
    for (const shard of inStreamOrder(await reader.shards())) {
      const last = seen.get(shard.shardId);
      let iterator = await reader.iterator(shard.shardId, last ? { after: last } : 'TRIM_HORIZON');
      const matched: DynamoDBRecord[] = [];
      while (iterator) {
        const { records, next } = await reader.read(iterator);
        if (records.length === 0) break;
        for (const record of records) {
          if (record.dynamodb?.SequenceNumber) seen.set(shard.shardId, record.dynamodb.SequenceNumber);
          if (matchesFilter(filter, record)) matched.push(record);
        }
        iterator = next;
      }
      for (let start = 0; start < matched.length; start += trigger.batchSize) {
        const batch = matched.slice(start, start + trigger.batchSize);
        const response = await handler(
          { Records: batch, shardId: shard.shardId, state: {} },
          lambdaContext(),
        );
        if (response.batchItemFailures.length > 0) {
          throw new Error(
            `CaseChangeCompleter failed records: ${response.batchItemFailures.map((f) => f.itemIdentifier).join(', ')}`,
          );
        }
        delivered += batch.length;
      }
    }
    return delivered;
  } finally {
    client.destroy();
  }
}
