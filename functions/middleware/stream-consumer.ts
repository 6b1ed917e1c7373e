// Every consumer of the case table's stream is built here: Powertools' batch processor reports the
// records that failed (partial batch response), so the event source retries from the first of them and
// never redoes what succeeded before it; records that keep failing go to the trigger's on-failure queue.
// Work done for the batch as a whole (processBatch) runs after the records; when it fails, the batch is
// delivered again from its first record.
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
  /**
   * Work done once for the whole batch after its records (e.g. counting them together). If it fails, the
   * whole batch is reported failed, so the event source delivers it again: it must be idempotent.
   */
  processBatch?: (records: readonly DynamoDBRecord[], deps: Dependencies) => Promise<unknown>,
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
    .handler(async (event, context) => {
      const response = await processPartialResponse(
        event,
        handleRecord,
        new BatchProcessor(EventType.DynamoDBStreams),
        { context, throwOnFullBatchFailure: false },
      );
      const [first] = event.Records;
      if (!processBatch || !first) return response;
      try {
        await processBatch(event.Records, await dependencies());
        return response;
      } catch (error) {
        logger.warn('Stream batch failed; the event source delivers it again', {
          consumer: name,
          records: event.Records.length,
          error: (error as Error).name,
          reason: (error as Error).message,
        });
        // The event source retries from the lowest failed record: here, the batch's first.
        return { batchItemFailures: [{ itemIdentifier: first.dynamodb?.SequenceNumber ?? '' }] };
      }
    });
  return handler as unknown as StreamHandler;
}
