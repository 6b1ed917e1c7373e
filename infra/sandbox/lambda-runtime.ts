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

export const sandboxAccount = '000000000000';
export const sandboxRegion = 'us-east-1';
const projectRoot = path.resolve(import.meta.dirname, '../..');

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<AnyHandler>>();

/** What running a function needs: its handler file and the sizes its Lambda context reports. */
export type InvokableFunction = Pick<FunctionDefinition, 'name' | 'entry' | 'memoryMb' | 'timeoutSeconds'>;

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

let invocationStore: Promise<InvokeStoreBase> | undefined;

/**
 * Many functions run at once in this one process, as invocations do on Lambda Managed Instances. Like
 * that runtime, set AWS_LAMBDA_MAX_CONCURRENCY and run each invocation in the RIC's InvokeStore: the
 * Powertools logger then keeps its Lambda context per invocation instead of per process, so a line
 * logged by the sweep is not tagged with whichever function started last.
 */
export async function runInvocationsConcurrently(): Promise<void> {
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
  if (!invocationStore) return handler(event, context);
  const store = await invocationStore;
  return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () =>
    handler(event, context),
  );
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

/**
 * An SQS event source mapping: long-polls the queue, hands the consumer batches of real SQSEvent
 * records, deletes what succeeded, and leaves failures to the visibility timeout and the redrive
 * policy, exactly as Lambda does with ReportBatchItemFailures.
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> | undefined;
  private inFlight = 0;
  private readonly client: SQSClient;
  private readonly fn: FunctionDefinition;
  private readonly queueUrl: string;
  private readonly queueArn: string;
  private readonly batchSize: number;
  private readonly duplicateDelivery: boolean;
  private readonly onError: (error: unknown) => void;

  constructor(options: {
    client: SQSClient;
    fn: FunctionDefinition;
    queueUrl: string;
    queueArn: string;
    batchSize: number;
    /** At-least-once made visible: every batch reaches the consumer twice, concurrently. */
    duplicateDelivery?: boolean;
    onError: (error: unknown) => void;
  }) {
    this.client = options.client;
    this.fn = options.fn;
    this.queueUrl = options.queueUrl;
    this.queueArn = options.queueArn;
    this.batchSize = options.batchSize;
    this.duplicateDelivery = options.duplicateDelivery ?? false;
    this.onError = options.onError;
  }

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async poll(): Promise<void> {
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
        if (messages.length === 0) continue;
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
