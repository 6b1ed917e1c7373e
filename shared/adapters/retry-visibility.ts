// Backoff for failed queue records. Lambda retries a failed record only when the queue's visibility
// timeout runs out (six times the consumer's timeout); shortening it per record, by how often the
// record was received, turns that fixed wait into an exponential backoff.
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

// The backoff itself is a queue fact (shared/work-queues.ts): the notification lease is computed from it too.
export { type RetryBackoff, retryDelaySeconds } from '#shared/work-queues';

export interface RetryScheduler {
  /** Makes each received message visible again after its delay; returns how many could not be changed. */
  delay(records: readonly { receiptHandle: string; seconds: number }[]): Promise<{ failed: number }>;
}

export function sqsRetryScheduler(client: SQSClient, queueUrl: string): RetryScheduler {
  return {
    async delay(records) {
      let failed = 0;
      for (let start = 0; start < records.length; start += 10) {
        const batch = records.slice(start, start + 10);
        const result = await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: record.seconds,
            })),
          }),
        );
        failed += result.Failed?.length ?? 0;
      }
      return { failed };
    },
  };
}
