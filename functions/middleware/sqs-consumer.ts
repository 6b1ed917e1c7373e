// Every SQS consumer is built here: Powertools' batch processor reports partial batch failures,
// so one bad record is retried (and finally dead-lettered) without redelivering the rest.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { dependencies } from '#adapters/dependencies';
import { type QueueName, queues } from '#infra/catalogue';
import { logger } from '#shared/observability';
import type { Dependencies } from '#use-cases/ports';

export interface RecordContext {
  receiveCount: number;
  maxReceiveCount: number;
  messageId: string;
}

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function sqsConsumer<S extends z.ZodType>(
  queue: QueueName,
  schema: S,
  processMessage: (message: z.output<S>, record: RecordContext, deps: Dependencies) => Promise<unknown>,
): QueueHandler {
  const maxReceiveCount = queues.find((definition) => definition.name === queue)?.maxReceiveCount ?? 5;
  const handleRecord = async (record: SQSRecord) => {
    const deps = await dependencies();
    const parsed = schema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Retrying cannot fix a malformed message; it will reach the DLQ, where the alarm shows it.
      logger.error('Malformed queue message', { queue, messageId: record.messageId });
      throw new Error(`Malformed message on ${queue}`);
    }
    try {
      await processMessage(
        parsed.data,
        {
          receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? '1'),
          maxReceiveCount,
          messageId: record.messageId,
        },
        deps,
      );
    } catch (error) {
      logger.warn('Queue message failed; it will be retried', {
        queue,
        messageId: record.messageId,
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      throw error;
    }
  };
  const handler = middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) =>
      processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
  return handler as unknown as QueueHandler;
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
