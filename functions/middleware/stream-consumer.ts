// Every consumer of the case table's stream is built here: Powertools' batch processor reports the
// records that failed (partial batch response), so the event source retries from the first of them and
// never redoes what succeeded before it; records that keep failing go to the trigger's on-failure queue.
// Work done for the batch as a whole (processBatch) runs after the records; when it fails, the batch is
// delivered again from its first record. The trigger runs with a tumbling window (infra/catalogue.ts) only so
// that each event names its shard (`shardId`): no state is carried between invocations, each response holds
// an empty one (Lambda takes a response without `state` for a failure), and a window's closing invocation,
// which may carry no records, does nothing.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type PortGroup, wireDependencies } from '#adapters/wiring/wire';
import { logger } from '#shared/observability';
import type { Dependencies } from '#use-cases/ports';

/** A DynamoDB stream event under a tumbling window: Lambda's DynamoDBTimeWindowEvent. */
export interface TableStreamEvent extends DynamoDBStreamEvent {
  shardId?: string;
  eventSourceARN?: string;
  window?: { start: string; end: string };
  state?: Record<string, string>;
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
}

/** Lambda's TimeWindowEventResponse. */
export interface TableStreamResponse extends DynamoDBBatchResponse {
  state: Record<string, string>;
}

export type StreamHandler = (event: TableStreamEvent, context: Context) => Promise<TableStreamResponse>;

/** The stream shard an event's records came through: the lane their positions are ordered in. */
export function laneOf(event: TableStreamEvent): string {
  if (!event.shardId) {
    throw new Error(
      'The stream event names no shard: its trigger needs a tumbling window (infra/catalogue.ts)',
    );
  }
  return event.shardId;
}

export function streamConsumer(
  name: string,
  /** The port groups the consumer uses: only their adapters are bundled and built. */
  uses: readonly PortGroup[],
  processRecord: (record: DynamoDBRecord, deps: Dependencies) => Promise<unknown>,
  /**
   * Work done once for the whole batch after its records (e.g. counting them together). If it fails, the
   * whole batch is reported failed, so the event source delivers it again: it must be idempotent.
   */
  processBatch?: (
    records: readonly DynamoDBRecord[],
    deps: Dependencies,
    event: TableStreamEvent,
  ) => Promise<unknown>,
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
  const handler = middy<TableStreamEvent, TableStreamResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const state = {};
      const [first] = event.Records;
      // A window's closing invocation may carry no records.
      if (!first) return { batchItemFailures: [], state };
      const response = await processPartialResponse(
        event,
        handleRecord,
        new BatchProcessor(EventType.DynamoDBStreams),
        { context, throwOnFullBatchFailure: false },
      );
      if (!processBatch) return { ...response, state };
      try {
        await processBatch(event.Records, await dependencies(), event);
        return { ...response, state };
      } catch (error) {
        logger.warn('Stream batch failed; the event source delivers it again', {
          consumer: name,
          records: event.Records.length,
          error: (error as Error).name,
          reason: (error as Error).message,
        });
        // The event source retries from the lowest failed record: here, the batch's first.
        return { batchItemFailures: [{ itemIdentifier: first.dynamodb?.SequenceNumber ?? '' }], state };
      }
    });
  return handler as unknown as StreamHandler;
}
