// Every SQS consumer is built here: Powertools' batch processor reports partial batch failures,
// so one bad record is retried (and finally dead-lettered) without redelivering the rest, after an
// exponential backoff rather than the queue's whole visibility timeout.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { retryDelaySeconds, sqsRetryScheduler } from '#adapters/retry-visibility';
import { sqsClient } from '#adapters/wiring/queues';
import { type PortGroup, wireDependencies } from '#adapters/wiring/wire';
import { type Config, loadConfig, retryBackoffOf } from '#shared/config';
import { logger } from '#shared/observability';
import { leaseCoveringRetriesMs, type QueueName, queueNamed, queueUrlVariable } from '#shared/work-queues';
import type * as z from '#shared/zod';
import type { Dependencies, MessageAttempt } from '#use-cases/ports';

/** What a consumer learns of SQS's delivery: whether this is the last try, and a lease that outlives its retries. */
export interface QueueAttempt extends MessageAttempt {
  messageId: string;
}

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function sqsConsumer<S extends z.ZodMiniType>(
  queue: QueueName,
  schema: S,
  /** The port groups the consumer uses: only their adapters are bundled and built. */
  uses: readonly PortGroup[],
  processMessage: (message: z.output<S>, attempt: QueueAttempt, deps: Dependencies) => Promise<unknown>,
): QueueHandler {
  const dependencies = wireDependencies(uses);
  const { maxReceiveCount } = queueNamed(queue);
  // The configuration is read on the first message (never at import), then the lease stays what it is.
  let leaseMs: number | undefined;
  const handleRecord = async (record: SQSRecord) => {
    leaseMs ??= leaseCoveringRetriesMs(queue, retryBackoffOf(loadConfig()));
    const deps = await dependencies();
    const parsed = schema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Retrying cannot fix a malformed message; it will reach the DLQ, where the alarm shows it.
      logger.error('Malformed queue message', { queue, messageId: record.messageId });
      throw new Error(`Malformed message on ${queue}`);
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    try {
      await processMessage(
        parsed.data,
        {
          finalAttempt: receiveCountOf(record) >= maxReceiveCount,
          leaseMs,
          messageId: record.messageId,
        },
        deps,
      );
    } catch (error) {
      const failure = {
        queue,
        messageId: record.messageId,
        receiveCount,
        error: (error as Error).name,
        reason: (error as Error).message,
      };
      // On its last receive the message goes to the dead-letter queue: no retry is coming.
      if (receiveCount >= maxReceiveCount)
        logger.error('Queue message failed for the last time; it goes to the dead-letter queue', failure);
      else logger.warn('Queue message failed; it will be retried', failure);
      throw error;
    }
  };
  const handler = middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const response = await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
      await backOff(queue, event.Records, response.batchItemFailures, maxReceiveCount);
      return response;
    });
  return handler as unknown as QueueHandler;
}

/**
 * Failed records come back after base × 2^(receives − 1) seconds instead of the visibility timeout;
 * a record on its last receive comes back after a second, so it reaches the DLQ (and its alarm) without
 * waiting. Never 0: fauxqs, persisting to disk as the sandbox does, loses a message made visible with 0.
 * Best effort: if this fails, the visibility timeout still brings the records back.
 */
async function backOff(
  queue: QueueName,
  records: readonly SQSRecord[],
  failures: readonly SQSBatchItemFailure[],
  maxReceiveCount: number,
): Promise<void> {
  if (failures.length === 0) return;
  const failed = new Set(failures.map((failure) => failure.itemIdentifier));
  try {
    const config = loadConfig();
    const backoff = retryBackoffOf(config);
    const delays = records
      .filter((record) => failed.has(record.messageId))
      .map((record) => {
        const receiveCount = receiveCountOf(record);
        return {
          receiptHandle: record.receiptHandle,
          seconds:
            receiveCount >= maxReceiveCount ? 1 : Math.max(1, retryDelaySeconds(receiveCount, backoff)),
        };
      });
    const queueUrl = config[queueUrlVariable(queue) as keyof Config] as string;
    const result = await sqsRetryScheduler(sqsClient(), queueUrl).delay(delays);
    if (result.failed > 0) logger.warn('Some retries keep the visibility timeout', { queue, ...result });
  } catch (error) {
    logger.warn('Retries keep the visibility timeout', { queue, error: (error as Error).name });
  }
}

function receiveCountOf(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1');
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
