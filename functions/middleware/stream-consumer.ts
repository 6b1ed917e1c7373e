// Every consumer of the case table's stream is built here: Powertools' batch processor reports the
// records that failed (partial batch response), so the event source retries from the first of them and
// never redoes what succeeded before it; records that keep failing go to the trigger's on-failure queue.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type PortGroup, wireDependencies } from '#adapters/wiring/wire';
import { logger } from '#shared/observability';
import type { Dependencies } from '#use-cases/ports';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

export function streamConsumer(
  name: string,
  /** The port groups the consumer uses: only their adapters are bundled and built. */
  uses: readonly PortGroup[],
  processRecord: (record: DynamoDBRecord, deps: Dependencies) => Promise<unknown>,
): StreamHandler {
  const dependencies = wireDependencies(uses);
  const handleRecord = async (record: DynamoDBRecord) => {
    const deps = await dependencies();
    try {
      await processRecord(record, deps);
    } catch (error) {
      logger.warn('Stream record failed; the event source retries from it', {
        consumer: name,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      throw error;
    }
  };
  const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event, context) =>
      processPartialResponse(event, handleRecord, new BatchProcessor(EventType.DynamoDBStreams), {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
  return handler as unknown as StreamHandler;
}
