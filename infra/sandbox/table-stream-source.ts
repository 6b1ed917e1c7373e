// The case table's stream as Lambda's DynamoDB event source runs it, against DynamoDB Local: one poll loop
// per shard (GetRecords every 250 ms when idle), shards followed as they close and split (a child starts
// when its parent is read to its end, so records stay in order per item), records in the real
// DynamoDBStreamEvent shape, the trigger's filter pattern applied (records filtered out are skipped, as
// Lambda skips them), batches of at most `batchSize` gathered for at most the batching window, one batch
// per shard at a time, retried and reported on failure by stream-batch-delivery.ts.
//
// Where it starts: like a Lambda event source mapping, from its checkpoint: after the last record of each
// shard it is done with (delivered, filtered out or given up on), which the sandbox keeps in SANDBOX_DIR, so
// a restart on a kept data folder neither replays the last run's records nor misses a change committed
// just before it stopped. A shard it has no checkpoint for is read from `startingPosition` when the source
// starts (the sandbox: TRIM_HORIZON, as the stack's mapping), and from TRIM_HORIZON when it appears later.
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as StreamRecord,
  type AttributeValue as StreamsAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  StreamRecord as LambdaStreamRecord,
} from 'aws-lambda';
import type { FunctionTrigger } from '../catalogue.ts';
import {
  type BatchDeliveryOptions,
  deliverBatch,
  type ShardWindow,
  type StreamBatchFailure,
  sandboxBackoffMs,
} from './stream-batch-delivery.ts';
import { checkFilterPattern, type FilterPattern, matchesFilter } from './stream-filter.ts';

export type TableStreamTrigger = Extract<FunctionTrigger, { kind: 'tableStream' }>;

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
  /** A closed shard takes no more records; its children carry on. */
  closed: boolean;
}

export type ShardPosition = 'LATEST' | 'TRIM_HORIZON' | { after: string };

/** What the source needs from a stream, so tests can hand it a fake one. */
export interface StreamReader {
  shards(): Promise<StreamShard[]>;
  /** Undefined when the shard has nothing more to give at that position (closed and read). */
  iterator(shardId: string, position: ShardPosition): Promise<string | undefined>;
  /** The records after `iterator` and where to read next; no `next` once a closed shard is read to its end. */
  read(iterator: string): Promise<{ records: DynamoDBRecord[]; next: string | undefined }>;
}

/** Per shard, the last record the source is done with, or `closed` once it read the shard to its end. */
export type ShardCheckpoints = Record<string, string>;
export const shardReadToEnd = 'closed';

/** The sandbox's cap on the trigger's batching window, so a change reaches the function within about a second. */
export const sandboxBatchingWindowMs = 1_000;
const idlePollMs = 250;
/** How often the source looks for shards it does not know (a shard also ends in a look). */
const discoverEveryMs = 10_000;

export interface TableStreamSourceOptions {
  reader: StreamReader;
  trigger: Pick<
    TableStreamTrigger,
    'filterPattern' | 'batchSize' | 'maxBatchingWindowSeconds' | 'retryAttempts' | 'maxRecordAgeSeconds'
  >;
  streamArn: string;
  functionArn: string;
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Where to read a shard the checkpoints do not name when the source starts. */
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** Checkpoints of an earlier run of the same stream. */
  checkpoints?: ShardCheckpoints;
  /** Told each time a shard's checkpoint moves. */
  onCheckpoint?: (shardId: string, checkpoint: string) => void;
  onFailure: (failure: StreamBatchFailure) => void;
  onError: (error: unknown) => void;
  /** Test seams: the wait before retry n, the batching window's cap, the idle poll, the look for new shards. */
  backoffMs?: (attempt: number) => number;
  batchingWindowCapMs?: number;
  pollIntervalMs?: number;
  discoverEveryMs?: number;
}

/** A wait that ends early when woken (a depth check, or the source stopping). */
class Sleeper {
  private readonly wakers = new Set<() => void>();
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

interface ShardState {
  shard: StreamShard;
  /** Records read and matched, waiting for their batch. */
  pending: number;
  delivering: boolean;
  /** Reads completed: a depth check waits for the next one, so it sees what was written before it. */
  reads: number;
  /** The last record read (matched or not), to carry on after it. */
  lastSequence?: string;
  /** The last record the source is done with (or `closed`). */
  checkpoint?: string;
  finished: boolean;
  /** Settles when the shard's loop ends (read to its end, or the source stopped). */
  ended: Promise<void>;
  end: () => void;
}

function shardState(shard: StreamShard): ShardState {
  let end = () => {};
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  return { shard, pending: 0, delivering: false, reads: 0, finished: false, ended, end };
}

export class TableStreamSource {
  private running = false;
  private readonly shards = new Map<string, ShardState>();
  private readonly sleeper = new Sleeper();
  private readonly readSeen = new Set<() => void>();
  private readonly pattern: FilterPattern;
  private readonly windowMs: number;
  private discovery?: Promise<void>;
  private discoverTimer?: NodeJS.Timeout;

  private readonly options: TableStreamSourceOptions;

  constructor(options: TableStreamSourceOptions) {
    this.options = options;
    checkFilterPattern(options.trigger.filterPattern);
    this.pattern = options.trigger.filterPattern;
    this.windowMs = Math.min(
      options.trigger.maxBatchingWindowSeconds * 1000,
      options.batchingWindowCapMs ?? sandboxBatchingWindowMs,
    );
  }

  /** Finds the shards and starts reading the open ones at LATEST; resolves once every loop has its iterator. */
  async start(): Promise<void> {
    this.running = true;
    await this.discover(true);
    this.discoverTimer = setInterval(
      () => void this.discover(false),
      this.options.discoverEveryMs ?? discoverEveryMs,
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.discoverTimer);
    this.sleeper.wakeAll();
    await this.discovery;
    await Promise.all([...this.shards.values()].map((state) => state.ended));
  }

  /** A batch is in its handler, or retrying. */
  get busy(): boolean {
    return [...this.shards.values()].some((state) => state.delivering);
  }

  /**
   * Records read but not yet delivered (`visible`) and batches being handled (`inFlight`), as
   * `GET /_sandbox/queues` reports a queue. When nothing is waiting, every shard is read once more first,
   * so a record written before the question is counted.
   */
  async depth(): Promise<{ visible: number; inFlight: number }> {
    const count = () => {
      const states = [...this.shards.values()];
      return {
        visible: states.reduce((sum, state) => sum + state.pending, 0),
        inFlight: states.filter((state) => state.delivering).length,
      };
    };
    const now = count();
    if (now.visible + now.inFlight > 0 || !this.running) return now;
    const reading = [...this.shards.values()].filter((state) => !state.finished);
    const before = new Map(reading.map((state) => [state, state.reads]));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        this.readSeen.delete(check);
        resolve();
      };
      const check = () => {
        if (!this.running || reading.every((state) => state.finished || state.reads > before.get(state)!))
          done();
      };
      // A read that hangs does not hold the answer for long.
      const timeout = setTimeout(done, 2_000);
      this.readSeen.add(check);
      this.sleeper.wakeAll();
      check();
    });
    return count();
  }

  private discover(atStart: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    // One look at a time; a look asked for during another waits for it and looks again.
    const previous = this.discovery ?? Promise.resolve();
    const look = previous
      .then(() => this.lookForShards(atStart))
      .catch((error) => this.options.onError(error));
    this.discovery = look;
    return look;
  }

  private async lookForShards(atStart: boolean): Promise<void> {
    if (!this.running) return;
    const found = await this.options.reader.shards();
    const starting: Array<Promise<void>> = [];
    for (const shard of found) {
      const known = this.shards.get(shard.shardId);
      if (known) {
        known.shard = shard;
        // An open shard whose loop ended (DynamoDB Local sometimes answers no next iterator): carry on.
        if (known.finished && !shard.closed && this.running) {
          const resumed = {
            ...shardState(shard),
            lastSequence: known.lastSequence,
            checkpoint: known.checkpoint,
          };
          this.shards.set(shard.shardId, resumed);
          starting.push(
            this.startReading(resumed, known.lastSequence ? { after: known.lastSequence } : 'LATEST'),
          );
        }
        continue;
      }
      const state = shardState(shard);
      this.shards.set(shard.shardId, state);
      const position = this.firstPosition(shard, atStart);
      if (position === undefined) {
        this.finish(state);
        continue;
      }
      starting.push(this.startReading(state, position));
    }
    await Promise.all(starting);
  }

  /** Where a shard first seen now is read from; undefined when there is nothing in it to read. */
  private firstPosition(shard: StreamShard, atStart: boolean): ShardPosition | undefined {
    const checkpoint = this.options.checkpoints?.[shard.shardId];
    if (checkpoint === shardReadToEnd) return undefined;
    if (checkpoint) return { after: checkpoint };
    if (!atStart) return 'TRIM_HORIZON';
    // A shard closed before a LATEST start holds nothing new.
    if (shard.closed && this.options.startingPosition === 'LATEST') return undefined;
    return this.options.startingPosition;
  }

  private checkpoint(state: ShardState, checkpoint: string | undefined): void {
    if (checkpoint === undefined || state.checkpoint === checkpoint) return;
    state.checkpoint = checkpoint;
    this.options.onCheckpoint?.(state.shard.shardId, checkpoint);
  }

  /** A child shard is read once its parent (if the source reads it) is read to its end. */
  private async startReading(state: ShardState, position: ShardPosition): Promise<void> {
    const parent = state.shard.parentShardId ? this.shards.get(state.shard.parentShardId) : undefined;
    const waitsForParent = parent !== undefined && !parent.finished;
    const opened = (async () => {
      if (parent && waitsForParent) await parent.ended;
      return this.running ? this.options.reader.iterator(state.shard.shardId, position) : undefined;
    })();
    void opened
      .then((iterator) => this.readShard(state, iterator, position))
      .catch((error) => this.options.onError(error))
      .finally(() => this.finish(state));
    // At the start the loops have their iterators before the sandbox takes requests; a child's waits.
    if (!waitsForParent) await opened.catch(() => {});
  }

  private finish(state: ShardState): void {
    const wasFinished = state.finished;
    state.finished = true;
    state.pending = 0;
    state.end();
    for (const check of [...this.readSeen]) check();
    // Its children may be known already (they wait on it) or not yet: look now rather than in 10 s.
    if (!wasFinished && this.running && state.reads > 0) void this.discover(false);
  }

  private async readShard(
    state: ShardState,
    firstIterator: string | undefined,
    startedAt: ShardPosition,
  ): Promise<void> {
    const { batchSize } = this.options.trigger;
    const pending: DynamoDBRecord[] = [];
    let pendingSince = 0;
    let iterator = firstIterator;
    while (this.running) {
      const windowOver = pending.length > 0 && Date.now() - pendingSince >= this.windowMs;
      if (pending.length >= batchSize || (pending.length > 0 && (windowOver || iterator === undefined))) {
        const batch = pending.splice(0, batchSize);
        state.pending = pending.length;
        state.delivering = true;
        try {
          await deliverBatch(batch, this.deliveryOptions(state.shard.shardId));
        } finally {
          state.delivering = false;
          state.pending = pending.length;
          pendingSince = Date.now();
        }
        // Done with the batch (delivered or given up on) unless the source stopped under it.
        if (this.running) {
          this.checkpoint(
            state,
            pending.length > 0 ? batch.at(-1)?.dynamodb?.SequenceNumber : state.lastSequence,
          );
        }
        continue;
      }
      if (iterator === undefined) {
        if (this.running) this.checkpoint(state, shardReadToEnd);
        return;
      }
      let page: Awaited<ReturnType<StreamReader['read']>>;
      try {
        page = await this.options.reader.read(iterator);
      } catch (error) {
        if (!this.running) return;
        if (error instanceof ExpiredIteratorException) {
          // Carry on after the last record read, or where the loop began if it has read none.
          iterator = await this.options.reader.iterator(
            state.shard.shardId,
            state.lastSequence ? { after: state.lastSequence } : startedAt,
          );
        } else {
          this.options.onError(error);
          await this.pause(1_000);
        }
        continue;
      }
      iterator = page.next;
      const wasEmpty = pending.length === 0;
      for (const record of page.records) {
        state.lastSequence = record.dynamodb?.SequenceNumber ?? state.lastSequence;
        if (matchesFilter(this.pattern, record)) pending.push(record);
      }
      if (wasEmpty && pending.length > 0) pendingSince = Date.now();
      state.pending = pending.length;
      // Records filtered out are done with as soon as nothing before them waits.
      if (pending.length === 0) this.checkpoint(state, state.lastSequence);
      state.reads += 1;
      for (const check of [...this.readSeen]) check();
      if (page.records.length === 0 && iterator !== undefined) {
        const untilWindowEnds = pending.length > 0 ? pendingSince + this.windowMs - Date.now() : idlePollMs;
        await this.pause(Math.max(0, Math.min(this.options.pollIntervalMs ?? idlePollMs, untilWindowEnds)));
      }
    }
  }

  /** A wait that a stopping source skips (stop wakes the waits already started). */
  private pause(ms: number): Promise<void> {
    return this.running ? this.sleeper.sleep(ms) : Promise.resolve();
  }

  /** Each shard's tumbling window, kept across its batches. */
  private readonly windows = new Map<string, ShardWindow>();

  private windowOf(shardId: string): ShardWindow {
    const known = this.windows.get(shardId);
    if (known) return known;
    const window: ShardWindow = { start: 0, state: {} };
    this.windows.set(shardId, window);
    return window;
  }

  private deliveryOptions(shardId: string): BatchDeliveryOptions {
    const backoffMs = this.options.backoffMs ?? sandboxBackoffMs;
    return {
      invoke: this.options.invoke,
      policy: this.options.trigger,
      shardId,
      window: this.windowOf(shardId),
      streamArn: this.options.streamArn,
      functionArn: this.options.functionArn,
      onFailure: this.options.onFailure,
      onError: this.options.onError,
      backoff: (attempt) => this.pause(backoffMs(attempt)),
      running: () => this.running,
    };
  }
}

/** DynamoDB Local's stream of a table through the DynamoDB Streams API, records in Lambda's event shape. */
export function dynamoDbStreamReader(
  client: DynamoDBStreamsClient,
  streamArn: string,
  event: { awsRegion: string; eventSourceArn: string },
): StreamReader {
  return {
    async shards() {
      const shards: StreamShard[] = [];
      let exclusiveStartShardId: string | undefined;
      do {
        const { StreamDescription } = await client.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          if (!shard.ShardId) continue;
          shards.push({
            shardId: shard.ShardId,
            ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
            closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
          });
        }
        exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
      } while (exclusiveStartShardId);
      return shards;
    },
    async iterator(shardId, position) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(typeof position === 'string'
            ? { ShardIteratorType: position }
            : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.after }),
        }),
      );
      return ShardIterator;
    },
    async read(iterator) {
      const { Records, NextShardIterator } = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      return {
        records: (Records ?? []).map((record) => lambdaRecord(record, event)),
        next: NextShardIterator,
      };
    },
  };
}

/** The latest stream of `tableName` (DynamoDB Local's ARNs name the region `ddblocal`). */
export async function latestStreamArn(client: DynamoDBStreamsClient, tableName: string): Promise<string> {
  const { Streams } = await client.send(new ListStreamsCommand({ TableName: tableName }));
  const latest = (Streams ?? [])
    .map((stream) => stream.StreamArn)
    .filter((arn) => arn !== undefined)
    .sort()
    .at(-1);
  if (!latest)
    throw new Error(`The table ${tableName} has no stream: was it created with its StreamSpecification?`);
  return latest;
}

/** One record as Lambda hands it to the function: creation time in seconds, binary values in base64. */
export function lambdaRecord(
  record: StreamRecord,
  event: { awsRegion: string; eventSourceArn: string },
): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const dynamodb: LambdaStreamRecord = {
    ...(stream.ApproximateCreationDateTime
      ? { ApproximateCreationDateTime: Math.floor(stream.ApproximateCreationDateTime.getTime() / 1000) }
      : {}),
    ...(stream.Keys ? { Keys: lambdaImage(stream.Keys) } : {}),
    ...(stream.NewImage ? { NewImage: lambdaImage(stream.NewImage) } : {}),
    ...(stream.OldImage ? { OldImage: lambdaImage(stream.OldImage) } : {}),
    ...(stream.SequenceNumber ? { SequenceNumber: stream.SequenceNumber } : {}),
    ...(stream.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
    ...(stream.StreamViewType ? { StreamViewType: stream.StreamViewType } : {}),
  };
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: event.awsRegion,
    dynamodb,
    eventSourceARN: event.eventSourceArn,
  };
}

function lambdaImage(image: Record<string, StreamsAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValue(value)]));
}

function lambdaValue(value: StreamsAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  throw new Error(
    `A stream attribute value of a type the sandbox does not know: ${Object.keys(value).join(', ')}`,
  );
}
