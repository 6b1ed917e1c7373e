// One batch of stream records to its function, retried as Lambda's DynamoDB event source retries it
// (ReportBatchItemFailures and BisectBatchOnFunctionError on): a partial batch response retries from the
// first failed record (the records before it are done); a handler that throws has its batch split in two,
// each half retried in order; after `retryAttempts` retries, or once the oldest record is older than
// `maxRecordAgeSeconds`, the batch's description goes to the on-failure destination and the shard moves on.
// Under a tumbling window every event also names its shard and window and carries the state the function
// returned last in that window, and a response without `state` is a failed invocation, as in Lambda. (Lambda
// also invokes once more as each window closes, `isFinalInvokeForWindow`, often with no records; the
// sandbox does not: the one function with a window does nothing in it, and its tests cover that event.)
import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { TableStreamEvent, TableStreamResponse } from '../../functions/middleware/stream-consumer.ts';

export interface StreamRetryPolicy {
  retryAttempts: number;
  maxRecordAgeSeconds: number;
  /** Lambda's tumbling window (0: none). */
  tumblingWindowSeconds?: number;
}

/** A stream event as Lambda sends it under a tumbling window: every field the handlers' type names. */
export type WindowedStreamEvent = Required<TableStreamEvent>;

/** One shard's current window and the state its function returned last in it. */
export interface ShardWindow {
  start: number;
  state: NonNullable<TableStreamEvent['state']>;
}

/** What Lambda sends an on-failure destination (SQS) for a DynamoDB stream batch it gave up on. */
export interface StreamBatchFailure {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface BatchDeliveryOptions {
  invoke: (event: DynamoDBStreamEvent | WindowedStreamEvent) => Promise<unknown>;
  policy: StreamRetryPolicy;
  shardId: string;
  /** The shard's window, kept across its batches (under a tumbling window). */
  window?: ShardWindow;
  streamArn: string;
  functionArn: string;
  /** Called with each batch given up on (the sandbox keeps them as the on-failure queue's messages). */
  onFailure: (failure: StreamBatchFailure) => void;
  onError: (error: unknown) => void;
  /** The wait before retry number `attempt` (1, 2, …); resolves early when the source stops. */
  backoff: (attempt: number) => Promise<void>;
  /** False once the source is stopping: no further retries. */
  running: () => boolean;
  now?: () => number;
}

/** Retries in the sandbox: 100 ms, doubling, at most 1 s (Lambda backs off too; its waits are not documented). */
export const sandboxBackoffMs = (attempt: number) => Math.min(1_000, 100 * 2 ** (attempt - 1));

type Outcome = { kind: 'done' } | { kind: 'failedFrom'; index: number } | { kind: 'threw' };

/** Delivers `records` (in order, one shard) until done or given up; resolves when the shard may move on. */
export async function deliverBatch(records: readonly DynamoDBRecord[], options: BatchDeliveryOptions) {
  await deliverPart(records, 0, false, options);
}

async function deliverPart(
  initial: readonly DynamoDBRecord[],
  attemptsBefore: number,
  threwBefore: boolean,
  options: BatchDeliveryOptions,
): Promise<void> {
  const now = options.now ?? Date.now;
  let records = initial;
  let attempts = attemptsBefore;
  let threw = threwBefore;
  while (records.length > 0) {
    if (attempts > 0) {
      if (attempts > options.policy.retryAttempts) {
        return giveUp(records, attempts, 'RetryAttemptsExhausted', threw, options);
      }
      if (oldestAgeSeconds(records, now()) > options.policy.maxRecordAgeSeconds) {
        return giveUp(records, attempts, 'RecordAgeExceeded', threw, options);
      }
      await options.backoff(attempts);
      if (!options.running()) return;
    }
    const outcome = await invokeOnce(records, options);
    attempts += 1;
    threw = outcome.kind === 'threw';
    if (outcome.kind === 'done') return;
    if (outcome.kind === 'failedFrom') {
      records = records.slice(outcome.index);
      continue;
    }
    if (records.length > 1) {
      // BisectBatchOnFunctionError: each half carries the attempts so far, the first half finishes first.
      const half = Math.ceil(records.length / 2);
      await deliverPart(records.slice(0, half), attempts, true, options);
      if (!options.running()) return;
      await deliverPart(records.slice(half), attempts, true, options);
      return;
    }
  }
}

async function invokeOnce(
  records: readonly DynamoDBRecord[],
  options: BatchDeliveryOptions,
): Promise<Outcome> {
  let response: Partial<TableStreamResponse> | undefined;
  const windowed = windowedEvent(records, options);
  try {
    response = (await options.invoke(windowed ?? { Records: [...records] })) as typeof response;
  } catch (error) {
    options.onError(error);
    return { kind: 'threw' };
  }
  if (windowed && options.window) {
    if (response?.state === undefined || response.state === null) {
      options.onError(new Error('The response under a tumbling window has no state: a failed invocation'));
      return { kind: 'threw' };
    }
    options.window.state = response.state;
  }
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return { kind: 'done' };
  // Lambda checkpoints at the lowest sequence number reported; an identifier that names no record of the
  // batch (empty, null, unknown) fails the whole batch.
  const indexes = failures.map((failure) =>
    records.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
  );
  if (indexes.some((index) => index < 0)) return { kind: 'failedFrom', index: 0 };
  return { kind: 'failedFrom', index: Math.min(...indexes) };
}

/** The event under the shard's tumbling window: the window of its first record, a new one with fresh state. */
function windowedEvent(
  records: readonly DynamoDBRecord[],
  options: BatchDeliveryOptions,
): WindowedStreamEvent | undefined {
  const seconds = options.policy.tumblingWindowSeconds ?? 0;
  const window = options.window;
  if (seconds <= 0 || !window) return undefined;
  const length = seconds * 1000;
  // Lambda places windows by the time records were written to the stream, not by the clock.
  const written = records[0]?.dynamodb?.ApproximateCreationDateTime;
  const at = written === undefined ? (options.now ?? Date.now)() : written * 1000;
  const start = Math.floor(at / length) * length;
  if (start !== window.start) Object.assign(window, { start, state: {} });
  return {
    Records: [...records],
    shardId: options.shardId,
    eventSourceARN: options.streamArn,
    window: { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() },
    state: window.state,
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  };
}

function giveUp(
  records: readonly DynamoDBRecord[],
  attempts: number,
  condition: StreamBatchFailure['requestContext']['condition'],
  threw: boolean,
  options: BatchDeliveryOptions,
): void {
  const first = records[0]?.dynamodb;
  const last = records.at(-1)?.dynamodb;
  const arrival = (seconds: number | undefined) => new Date((seconds ?? 0) * 1000).toISOString();
  options.onFailure({
    requestContext: {
      requestId: randomUUID(),
      functionArn: options.functionArn,
      condition,
      approximateInvokeCount: attempts,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(threw ? { functionError: 'Unhandled' as const } : {}),
    },
    version: '1.0',
    timestamp: new Date((options.now ?? Date.now)()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: options.shardId,
      startSequenceNumber: first?.SequenceNumber ?? '',
      endSequenceNumber: last?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: records.length,
      streamArn: options.streamArn,
    },
  });
}

function oldestAgeSeconds(records: readonly DynamoDBRecord[], nowMs: number): number {
  const created = records[0]?.dynamodb?.ApproximateCreationDateTime;
  return created === undefined ? 0 : nowMs / 1000 - created;
}
