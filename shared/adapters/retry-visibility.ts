// Backoff for failed queue records. Lambda retries a failed record only when the queue's visibility
// timeout runs out (six times the consumer's timeout); shortening it per record, by how often the
// record was received, turns that fixed wait into an exponential backoff.
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface RetryBackoff {
  baseSeconds: number;
  maxSeconds: number;
}

/** base × 2^(receiveCount − 1), at most max: 10 s, 20 s, 40 s … with the defaults. */
export function retryDelaySeconds(receiveCount: number, backoff: RetryBackoff): number {
  const exponent = Math.min(Math.max(0, receiveCount - 1), 30);
  return Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** exponent);
}

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
