// The sandbox's table-stream source against a fake stream: where it starts, filtering, batching, order
// across a shard split, partial batch failures, bisecting a batch whose handler throws, and the
// description of a batch given up on.
import { ExpiredIteratorException } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BatchDeliveryOptions,
  deliverBatch,
  type StreamBatchFailure,
} from '../../../infra/sandbox/stream-batch-delivery.ts';
import {
  type ShardCheckpoints,
  type ShardPosition,
  type StreamReader,
  type StreamShard,
  TableStreamSource,
} from '../../../infra/sandbox/table-stream-source.ts';
import { streamRecord } from '../../support/stream-records.ts';

const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/cases/stream/2026-11-30T00:00:00.000';
const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:parcel-care-CaseChangeCompleter';
const pattern = { dynamodb: { NewImage: { chg: { S: [{ exists: true }] } } } };

let sequence = 0;
const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';
/** A case item's record; `id` goes in the key, `change` decides whether it carries `chg`. */
function caseRecord(id: string, change = true, createdAt = Math.floor(Date.now() / 1000)): DynamoDBRecord {
  sequence += 1;
  return streamRecord({
    keys: { pk: { S: id } },
    newImage: { pk: { S: id }, ...(change ? { chg: { S: '{}' } } : {}) },
    sequence: String(sequence).padStart(21, '0'),
    streamArn,
    createdAt,
    sizeBytes: 20,
  });
}
const idsOf = (records: readonly DynamoDBRecord[]) => records.map((record) => record.dynamodb?.Keys?.pk?.S);

describe('deliverBatch', () => {
  const options = (
    invoke: (event: DynamoDBStreamEvent) => Promise<unknown>,
    overrides: Partial<BatchDeliveryOptions> = {},
  ) => {
    const failures: StreamBatchFailure[] = [];
    const delivery: BatchDeliveryOptions = {
      invoke,
      policy: { retryAttempts: 3, maxRecordAgeSeconds: 3600 },
      shardId: 'shard-1',
      streamArn,
      functionArn,
      onFailure: (failure) => failures.push(failure),
      onError: () => {},
      backoff: async () => {},
      running: () => true,
      ...overrides,
    };
    return { delivery, failures };
  };
  /** A handler that records each batch's ids and answers with `answer(ids)`. */
  const handlerLog = (answer: (records: DynamoDBRecord[]) => DynamoDBBatchResponse | 'throw') => {
    const batches: Array<Array<string | undefined>> = [];
    const invoke = async (event: DynamoDBStreamEvent) => {
      batches.push(idsOf(event.Records));
      const result = answer(event.Records);
      if (result === 'throw') throw new Error('handler failed');
      return result;
    };
    return { batches, invoke };
  };
  const failing = (ids: string[]) => (records: DynamoDBRecord[]) => ({
    batchItemFailures: records
      .filter((record) => ids.includes(record.dynamodb?.Keys?.pk?.S ?? ''))
      .map((record) => ({ itemIdentifier: sequenceOf(record) })),
  });

  it('invokes once when the handler reports no failures', async () => {
    const handler = handlerLog(() => ({ batchItemFailures: [] }));
    const { delivery, failures } = options(handler.invoke);
    await deliverBatch(
      ['a', 'b'].map((id) => caseRecord(id)),
      delivery,
    );
    expect(handler.batches).toEqual([['a', 'b']]);
    expect(failures).toEqual([]);
  });

  it('retries from the first failed record; the records before it are done', async () => {
    let calls = 0;
    const handler = handlerLog(
      (records) => (calls++ === 0 ? failing(['d', 'b'])(records) : {}) as DynamoDBBatchResponse,
    );
    const { delivery, failures } = options(handler.invoke);
    await deliverBatch(
      ['a', 'b', 'c', 'd'].map((id) => caseRecord(id)),
      delivery,
    );
    expect(handler.batches).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c', 'd'],
    ]);
    expect(failures).toEqual([]);
  });

  it('retries the whole batch when a reported identifier names no record of it', async () => {
    let calls = 0;
    const handler = handlerLog(() => ({ batchItemFailures: calls++ === 0 ? [{ itemIdentifier: '' }] : [] }));
    const { delivery } = options(handler.invoke);
    await deliverBatch(
      ['a', 'b'].map((id) => caseRecord(id)),
      delivery,
    );
    expect(handler.batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('reports a batch that still fails after retryAttempts retries, then lets the shard move on', async () => {
    const handler = handlerLog(failing(['b']));
    const backoffs: number[] = [];
    const { delivery, failures } = options(handler.invoke, {
      backoff: async (attempt) => {
        backoffs.push(attempt);
      },
    });
    const records = ['a', 'b', 'c'].map((id) => caseRecord(id));
    await deliverBatch(records, delivery);
    // One invocation and three retries, each after its backoff.
    expect(handler.batches).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
      ['b', 'c'],
      ['b', 'c'],
    ]);
    expect(backoffs).toEqual([1, 2, 3]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: sequenceOf(records[1]!),
        endSequenceNumber: sequenceOf(records[2]!),
        batchSize: 2,
        streamArn,
      },
    });
    expect(failures[0]!.responseContext.functionError).toBeUndefined();
    expect(failures[0]!.DDBStreamBatchInfo.approximateArrivalOfFirstRecord).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('bisects a batch whose handler throws, delivers the good halves in order and reports the bad record', async () => {
    const handler = handlerLog((records) =>
      idsOf(records).includes('c') ? 'throw' : { batchItemFailures: [] },
    );
    const { delivery, failures } = options(handler.invoke, {
      policy: { retryAttempts: 2, maxRecordAgeSeconds: 3600 },
    });
    await deliverBatch(
      ['a', 'b', 'c', 'd'].map((id) => caseRecord(id)),
      delivery,
    );
    expect(handler.batches).toEqual([['a', 'b', 'c', 'd'], ['a', 'b'], ['c', 'd'], ['c'], ['d']]);
    expect(failures.map((failure) => failure.DDBStreamBatchInfo.batchSize)).toEqual([1]);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { functionError: 'Unhandled' },
    });
  });

  it('gives up on records older than maxRecordAgeSeconds instead of retrying them', async () => {
    const handler = handlerLog(failing(['a']));
    const { delivery, failures } = options(handler.invoke, {
      policy: { retryAttempts: 10, maxRecordAgeSeconds: 60 },
      now: () => Date.now() + 61_000,
    });
    await deliverBatch([caseRecord('a')], delivery);
    expect(handler.batches).toHaveLength(1);
    expect(failures[0]?.requestContext.condition).toBe('RecordAgeExceeded');
  });

  it('stops retrying when the source stops', async () => {
    let running = true;
    const handler = handlerLog(failing(['a']));
    const { delivery, failures } = options(handler.invoke, {
      backoff: async () => {
        running = false;
      },
      running: () => running,
    });
    await deliverBatch([caseRecord('a')], delivery);
    expect(handler.batches).toHaveLength(1);
    expect(failures).toEqual([]);
  });
});

/** Shards of records in memory; iterators are `shardId#index`. */
function fakeStream() {
  const shards: Array<StreamShard & { records: DynamoDBRecord[] }> = [];
  const find = (shardId: string) => {
    const shard = shards.find((candidate) => candidate.shardId === shardId);
    if (!shard) throw new Error(`no shard ${shardId}`);
    return shard;
  };
  const reads = { count: 0, expireNext: false };
  const reader: StreamReader = {
    shards: async () => shards.map(({ records: _, ...shard }) => ({ ...shard })),
    iterator: async (shardId: string, position: ShardPosition) => {
      const shard = find(shardId);
      const index =
        position === 'LATEST'
          ? shard.records.length
          : position === 'TRIM_HORIZON'
            ? 0
            : shard.records.findIndex((record) => sequenceOf(record) === position.after) + 1;
      return `${shardId}#${index}`;
    },
    read: async (iterator: string) => {
      reads.count += 1;
      if (reads.expireNext) {
        reads.expireNext = false;
        throw new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} });
      }
      const [shardId, at] = iterator.split('#') as [string, string];
      const shard = find(shardId);
      const records = shard.records.slice(Number(at), Number(at) + 3);
      const next = Number(at) + records.length;
      return {
        records,
        next: shard.closed && next >= shard.records.length ? undefined : `${shardId}#${next}`,
      };
    },
  };
  return {
    reader,
    reads,
    addShard(shardId: string, parentShardId?: string) {
      shards.push({ shardId, ...(parentShardId ? { parentShardId } : {}), closed: false, records: [] });
    },
    write(shardId: string, ...records: DynamoDBRecord[]) {
      find(shardId).records.push(...records);
    },
    close(shardId: string) {
      find(shardId).closed = true;
    },
    last(shardId: string): DynamoDBRecord {
      const record = find(shardId).records.at(-1);
      if (!record) throw new Error(`no records in ${shardId}`);
      return record;
    },
  };
}

/** A stream whose first shard closed with `records` in it and split into `childId`. */
function splitStream(parentId: string, records: DynamoDBRecord[], childId: string) {
  const stream = fakeStream();
  stream.addShard(parentId);
  stream.write(parentId, ...records);
  stream.close(parentId);
  stream.addShard(childId, parentId);
  return stream;
}

describe('TableStreamSource', () => {
  const running: TableStreamSource[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((source) => source.stop()));
  });

  function startSource(
    stream: ReturnType<typeof fakeStream>,
    handle: (event: DynamoDBStreamEvent) => Promise<unknown> = async () => ({}),
    trigger: {
      batchSize?: number;
      retryAttempts?: number;
      backoffMs?: (attempt: number) => number;
      startingPosition?: 'LATEST' | 'TRIM_HORIZON';
      checkpoints?: ShardCheckpoints;
    } = {},
  ) {
    const delivered: Array<Array<string | undefined>> = [];
    const failures: StreamBatchFailure[] = [];
    const checkpoints: ShardCheckpoints = {};
    const source = new TableStreamSource({
      reader: stream.reader,
      trigger: {
        filterPattern: pattern,
        batchSize: trigger.batchSize ?? 10,
        maxBatchingWindowSeconds: 5,
        retryAttempts: trigger.retryAttempts ?? 2,
        maxRecordAgeSeconds: 3600,
      },
      streamArn,
      functionArn,
      invoke: async (event) => {
        delivered.push(idsOf(event.Records));
        return handle(event);
      },
      startingPosition: trigger.startingPosition ?? 'LATEST',
      ...(trigger.checkpoints ? { checkpoints: trigger.checkpoints } : {}),
      onCheckpoint: (shardId, checkpoint) => {
        checkpoints[shardId] = checkpoint;
      },
      onFailure: (failure) => failures.push(failure),
      onError: () => {},
      backoffMs: trigger.backoffMs ?? (() => 1),
      batchingWindowCapMs: 30,
      pollIntervalMs: 5,
      discoverEveryMs: 10,
    });
    running.push(source);
    return { source, delivered, failures, checkpoints };
  }

  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 3_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('starts at LATEST, skips filtered records and delivers the rest in order, in batches of batchSize', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    stream.write('shard-1', caseRecord('before-start'));
    const { source, delivered } = startSource(stream, undefined, { batchSize: 2 });
    await source.start();
    stream.write(
      'shard-1',
      caseRecord('a'),
      caseRecord('no-change', false),
      caseRecord('b'),
      caseRecord('c'),
    );
    await until(() => delivered.flat().length === 3, 'three records');
    expect(delivered.flat()).toEqual(['a', 'b', 'c']);
    expect(delivered.every((batch) => batch.length <= 2)).toBe(true);
  });

  it('from TRIM_HORIZON, reads what was written before it started, a closed shard before its child', async () => {
    const stream = splitStream('parent', [caseRecord('p1')], 'child');
    stream.write('child', caseRecord('c1'));
    const { source, delivered, checkpoints } = startSource(stream, undefined, {
      startingPosition: 'TRIM_HORIZON',
    });
    await source.start();
    await until(() => delivered.flat().length === 2, 'both records');
    expect(delivered.flat()).toEqual(['p1', 'c1']);
    await until(() => checkpoints.parent === 'closed', "the parent's checkpoint");
  });

  it('starts again from its checkpoints: nothing replayed, nothing written while it was stopped missed', async () => {
    const stream = splitStream('old', [caseRecord('o1')], 'shard-1');
    const first = startSource(stream, undefined, { startingPosition: 'TRIM_HORIZON' });
    await first.source.start();
    stream.write('shard-1', caseRecord('a'), caseRecord('skipped', false));
    await until(() => first.checkpoints['shard-1'] === sequenceOf(stream.last('shard-1')), 'the checkpoint');
    // A record filtered out moves the checkpoint too.
    stream.write('shard-1', caseRecord('also-skipped', false));
    await until(() => first.checkpoints['shard-1'] === sequenceOf(stream.last('shard-1')), 'its checkpoint');
    await first.source.stop();
    stream.write('shard-1', caseRecord('b'));

    const second = startSource(stream, undefined, {
      startingPosition: 'TRIM_HORIZON',
      checkpoints: { ...first.checkpoints },
    });
    await second.source.start();
    stream.write('shard-1', caseRecord('c'));
    await until(() => second.delivered.flat().length === 2, 'the two new records');
    expect(first.delivered.flat()).toEqual(['o1', 'a']);
    expect(second.delivered.flat()).toEqual(['b', 'c']);
  });

  it('reads a closed shard to its end before its child, whose records it reads from the start', async () => {
    const stream = fakeStream();
    stream.addShard('parent');
    const { source, delivered } = startSource(stream);
    await source.start();
    stream.write('parent', caseRecord('p1'), caseRecord('p2'));
    // The split: the child is found (and its record written) while the parent still takes records.
    stream.addShard('child', 'parent');
    stream.write('child', caseRecord('c1'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    stream.write('parent', caseRecord('p3'));
    stream.close('parent');
    await until(() => delivered.flat().length === 4, 'four records');
    expect(delivered.flat()).toEqual(['p1', 'p2', 'p3', 'c1']);
  });

  it('retries a partial failure and reports the batch it gives up on', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    const { source, delivered, failures } = startSource(stream, async (event) => ({
      batchItemFailures: event.Records.filter((record) => record.dynamodb?.Keys?.pk?.S === 'bad').map(
        (record) => ({ itemIdentifier: sequenceOf(record) }),
      ),
    }));
    await source.start();
    stream.write('shard-1', caseRecord('good'), caseRecord('bad'), caseRecord('after'));
    await until(() => failures.length === 1, 'the failure report');
    expect(delivered[0]).toEqual(['good', 'bad', 'after']);
    expect(delivered.slice(1)).toEqual([
      ['bad', 'after'],
      ['bad', 'after'],
    ]);
    expect(failures[0]?.DDBStreamBatchInfo).toMatchObject({ shardId: 'shard-1', batchSize: 2 });
    // The shard moves on: a later record is delivered.
    stream.write('shard-1', caseRecord('later'));
    await until(() => delivered.flat().includes('later'), 'the later record');
  });

  it('reports what waits and what is being handled, counting a record written just before it is asked', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    let release = () => {};
    const handled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { source } = startSource(stream, async () => {
      await handled;
      return {};
    });
    await source.start();
    expect(await source.depth()).toEqual({ visible: 0, inFlight: 0 });
    stream.write('shard-1', caseRecord('a'), caseRecord('b'));
    // Asked at once: the source reads before it answers, so the records count (waiting, or in a batch).
    const seen = await source.depth();
    expect(seen.visible + seen.inFlight).toBeGreaterThan(0);
    await until(() => source.busy, 'the batch in the handler');
    try {
      expect(await source.depth()).toEqual({ visible: 0, inFlight: 1 });
    } finally {
      release();
    }
    await until(() => !source.busy, 'the batch done');
    expect(await source.depth()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('carries on after the last record read when its iterator expires: nothing replayed, nothing lost', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    stream.write('shard-1', caseRecord('before-start'));
    const { source, delivered } = startSource(stream);
    await source.start();
    // Before any record: the loop begins again where it began (LATEST), not at the shard's start.
    stream.reads.expireNext = true;
    await until(() => !stream.reads.expireNext, 'the iterator to expire');
    stream.write('shard-1', caseRecord('a'));
    await until(() => delivered.flat().length === 1, 'the first record');
    stream.reads.expireNext = true;
    await until(() => !stream.reads.expireNext, 'the iterator to expire');
    stream.write('shard-1', caseRecord('b'));
    await until(() => delivered.flat().length === 2, 'the record after');
    expect(delivered.flat()).toEqual(['a', 'b']);
  });

  it('stops at once while a failing batch waits for its retry', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    let calls = 0;
    const { source, failures } = startSource(
      stream,
      async () => {
        calls += 1;
        throw new Error('handler failed');
      },
      // The first retry at once, the next after a minute: stop does not sit it out.
      { backoffMs: (attempt) => (attempt === 1 ? 1 : 60_000) },
    );
    await source.start();
    stream.write('shard-1', caseRecord('a'));
    await until(() => calls === 2, 'a retry whose next wait is long');
    const started = Date.now();
    await source.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(calls).toBe(2);
    expect(failures).toEqual([]);
  });

  it('stops at once when idle, and reads nothing after', async () => {
    const stream = fakeStream();
    stream.addShard('shard-1');
    const { source } = startSource(stream);
    await source.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await source.stop();
    expect(Date.now() - started).toBeLessThan(100);
    const readsAtStop = stream.reads.count;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stream.reads.count).toBe(readsAtStop);
  });
});
