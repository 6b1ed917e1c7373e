// Runs the catalogue's handlers in-process with the event shapes AWS would send them:
// API Gateway v2 HTTP events, SQS batches with partial batch failures, EventBridge scheduled events.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type ReceiveMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { FunctionDefinition } from '../catalogue.ts';
import { runningFunction } from './table-grants.ts';

export const sandboxAccount = '000000000000';
export const sandboxRegion = 'us-east-1';
const projectRoot = path.resolve(import.meta.dirname, '../..');

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<AnyHandler>>();

/** What running a function needs: its handler file and the sizes its Lambda context reports. */
export type InvokableFunction = Pick<FunctionDefinition, 'name' | 'entry' | 'memoryMb' | 'timeoutSeconds'> &
  Partial<Pick<FunctionDefinition, 'access'>>;

export function loadHandler(fn: Pick<FunctionDefinition, 'entry'>): Promise<AnyHandler> {
  let handler = loaded.get(fn.entry);
  if (!handler) {
    handler = import(pathToFileURL(path.join(projectRoot, fn.entry)).href).then((module) => {
      if (typeof module.handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
      return module.handler as AnyHandler;
    });
    loaded.set(fn.entry, handler);
  }
  return handler;
}

export function lambdaContext(fn: Pick<FunctionDefinition, 'name' | 'memoryMb' | 'timeoutSeconds'>): Context {
  const startedAt = Date.now();
  const functionName = `parcel-care-${fn.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${sandboxRegion}:${sandboxAccount}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'sandbox',
    getRemainingTimeInMillis: () => Math.max(0, fn.timeoutSeconds * 1000 - (Date.now() - startedAt)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface InvocationTally {
  invocations: number;
  /** Time spent in the handler, in this process (not what Lambda would bill, but its shape). */
  ms: number;
  memoryMb: number;
}
const tallies = new Map<string, InvocationTally>();

/** Invocations of each function since the start or the last reset, for `GET /_sandbox/counts`. */
export const invocationCounts = (): Record<string, InvocationTally> =>
  Object.fromEntries([...tallies].map(([name, tally]) => [name, { ...tally }]));
export const resetInvocationCounts = () => tallies.clear();

let invocationStore: Promise<InvokeStoreBase> | undefined;

/**
 * Many functions run at once in this one process, as invocations do on Lambda Managed Instances. Like
 * that runtime, set AWS_LAMBDA_MAX_CONCURRENCY and run each invocation in the RIC's InvokeStore: the
 * Powertools logger then keeps its Lambda context per invocation instead of per process, so a line
 * logged by the sweep is not tagged with whichever function started last.
 */
export async function runInvocationsConcurrently(): Promise<void> {
  // The functions' shared Powertools singletons are built first, as Lambda builds them at init, outside
  // any invocation: Metrics writes its default dimensions when built, which a concurrent store refuses
  // outside an invocation.
  await import('../../shared/observability.ts');
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  invocationStore ??= InvokeStore.getInstanceAsync(true);
  // The store is made once per process, by whoever asks first (the AWS SDK asks too): it must be the
  // per-async-context kind, or every invocation would share one context again.
  if (!('als' in (await invocationStore)))
    throw new Error('The InvokeStore was created before the sandbox could make it concurrent');
}

export async function invoke(fn: InvokableFunction, event: unknown): Promise<unknown> {
  const handler = await loadHandler(fn);
  const context = lambdaContext(fn);
  const tally = tallies.get(fn.name) ?? { invocations: 0, ms: 0, memoryMb: fn.memoryMb };
  tallies.set(fn.name, tally);
  tally.invocations += 1;
  const startedAt = performance.now();
  // Its DynamoDB requests are held to its catalogue access while it runs (table-grants.ts).
  const { access } = fn;
  const run = () =>
    access
      ? runningFunction.run({ name: fn.name, access }, () => handler(event, context))
      : handler(event, context);
  try {
    if (!invocationStore) return await run();
    const store = await invocationStore;
    return await store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, run);
  } finally {
    tally.ms += performance.now() - startedAt;
  }
}

/** At most `limit` tasks at once; the others wait their turn, first come first served. */
export function concurrencyLimit(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    get full(): boolean {
      return running >= limit;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await task();
      } finally {
        // Hand the slot straight to the next in line, or give it back.
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}

/**
 * Reserved concurrency as Lambda applies it: at most `fn.reservedConcurrency` invocations at once. An
 * event that finds them all busy is throttled (`tryInvoke` answers `throttled`; the schedule's retries
 * are off, so the run is skipped); `invokeInTurn` waits for a free slot, as a caller retrying would.
 */
export function reservedInvoker(fn: FunctionDefinition) {
  const slots = concurrencyLimit(fn.reservedConcurrency ?? Number.POSITIVE_INFINITY);
  return {
    tryInvoke(event: unknown): Promise<unknown> | 'throttled' {
      return slots.full ? 'throttled' : slots.run(() => invoke(fn, event));
    },
    invokeInTurn(event: () => unknown): Promise<unknown> {
      return slots.run(() => invoke(fn, event()));
    },
  };
}

export function scheduledEvent(
  job: string,
  at: Date,
): EventBridgeEvent<'Scheduled Event', Record<string, never>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: sandboxAccount,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: sandboxRegion,
    resources: [`arn:aws:events:${sandboxRegion}:${sandboxAccount}:rule/parcel-care-${job}`],
    detail: {},
  };
}

/** Lambda's SQS event source starts this many pollers (fewer when the maximum concurrency is lower). */
export const initialPollers = 5;

/**
 * The most invocations of one queue's consumer the sandbox runs at once, whatever the deployed maximum
 * (intake's is sized to the expected peak: 115). In AWS each invocation has an instance of its own; here
 * they share two cores and one DynamoDB Local, which serialises writes, so more only queue up inside it.
 */
export const sandboxQueueConcurrency = 5;

/** The maximum concurrency the sandbox runs a trigger at: the deployed one, at most `sandboxQueueConcurrency`. */
export function sandboxConcurrencyOf(deployedMaxConcurrency: number): number {
  return Math.min(deployedMaxConcurrency, sandboxQueueConcurrency);
}

/**
 * An SQS event source mapping as Lambda runs one: `initialPollers` long-poll the queue at once, each
 * handing the consumer a batch of real SQSEvent records and waiting for it before receiving again;
 * while receives keep finding messages it scales out one poller at a time up to the trigger's maximum
 * concurrency, and a poller beyond the first few stops when a receive comes back empty. It deletes what
 * succeeded and leaves failures to the visibility timeout and the redrive policy, exactly as Lambda
 * does with ReportBatchItemFailures.
 */
export class SqsEventSource {
  private running = false;
  private readonly pollers = new Set<Promise<void>>();
  /** Pollers still looping (one that decided to stop leaves at once, before its promise settles). */
  private active = 0;
  private inFlight = 0;
  private peakPollers = 0;
  private readonly client: SQSClient;
  private readonly fn: FunctionDefinition;
  private readonly queueUrl: string;
  private readonly queueArn: string;
  private readonly batchSize: number;
  private readonly maxConcurrency: number;
  private readonly duplicateDelivery: boolean;
  private readonly onError: (error: unknown) => void;

  constructor(options: {
    client: SQSClient;
    fn: FunctionDefinition;
    queueUrl: string;
    queueArn: string;
    batchSize: number;
    /** The trigger's maximum concurrency: never more pollers, so never more invocations at once. */
    maxConcurrency: number;
    /** At-least-once made visible: every batch reaches the consumer twice, concurrently. */
    duplicateDelivery?: boolean;
    onError: (error: unknown) => void;
  }) {
    this.client = options.client;
    this.fn = options.fn;
    this.queueUrl = options.queueUrl;
    this.queueArn = options.queueArn;
    this.batchSize = options.batchSize;
    this.maxConcurrency = Math.max(1, options.maxConcurrency);
    this.duplicateDelivery = options.duplicateDelivery ?? false;
    this.onError = options.onError;
  }

  start(): void {
    this.running = true;
    for (let n = 0; n < Math.min(initialPollers, this.maxConcurrency); n += 1) this.addPoller();
  }

  async stop(): Promise<void> {
    this.running = false;
    while (this.pollers.size > 0) await Promise.all([...this.pollers]);
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Pollers running now, and the most that ran at once since the start. */
  get concurrency(): { now: number; peak: number } {
    return { now: this.active, peak: this.peakPollers };
  }

  private addPoller(): void {
    this.active += 1;
    this.peakPollers = Math.max(this.peakPollers, this.active);
    const poller: Promise<void> = this.poll().finally(() => this.pollers.delete(poller));
    this.pollers.add(poller);
  }

  private async poll(): Promise<void> {
    try {
      await this.pollUntilDone();
    } finally {
      // Runs as the loop leaves, before another poller looks at the count.
      this.active -= 1;
    }
  }

  private async pollUntilDone(): Promise<void> {
    while (this.running) {
      try {
        const received = await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: this.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          // Scale in: the queue is empty, so the pollers beyond the first few stop.
          if (this.active > Math.min(initialPollers, this.maxConcurrency)) return;
          continue;
        }
        // Scale out: there is work, so one more poller joins while the maximum allows.
        if (this.running && this.active < this.maxConcurrency) this.addPoller();
        this.inFlight += messages.length;
        try {
          await this.deliver(messages);
        } finally {
          this.inFlight -= messages.length;
        }
      } catch (error) {
        if (!this.running) return;
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async deliver(messages: NonNullable<ReceiveMessageCommandOutput['Messages']>): Promise<void> {
    const records = toSqsRecords(messages, this.queueArn);
    const deliveries = await Promise.all(
      (this.duplicateDelivery ? [records, records] : [records]).map((batch) => this.invokeWith(batch)),
    );
    // Like two pollers holding copies of one message: a record is done when either copy succeeded.
    const succeeded = records.filter((record) =>
      deliveries.some((failedIds) => !failedIds.has(record.messageId)),
    );
    if (succeeded.length > 0) {
      await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: succeeded.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
          })),
        }),
      );
    }
  }

  /** One invocation; the ids of the records that failed in it. */
  private async invokeWith(records: SQSRecord[]): Promise<Set<string>> {
    try {
      const response = (await invoke(this.fn, { Records: records } satisfies SQSEvent)) as
        | SQSBatchResponse
        | undefined;
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A thrown handler fails the whole batch: nothing is deleted.
      this.onError(error);
      return new Set(records.map((record) => record.messageId));
    }
  }
}

export function toSqsRecords(
  messages: NonNullable<ReceiveMessageCommandOutput['Messages']>,
  queueArn: string,
): SQSRecord[] {
  return messages.map((message) => ({
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: message.Attributes?.SenderId ?? sandboxAccount,
      ApproximateFirstReceiveTimestamp:
        message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          dataType: value.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: sandboxRegion,
  }));
}

export async function queueDepth(
  client: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const result = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const attributes = result.Attributes ?? {};
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
