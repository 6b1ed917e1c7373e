// Sends work to the SQS queues. A failed send after a committed write is not fatal: the sweep
// re-queues what stays pending, so callers may log and go on.

import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { QueuePublisher } from '../use-cases/ports.ts';

export class PartialSendFailure extends Error {
  override name = 'PartialSendFailure';
}

export function sqsQueuePublisher(client: SQSClient, queueUrl: string): QueuePublisher {
  return {
    async send(messages) {
      for (let start = 0; start < messages.length; start += 10) {
        const batch = messages.slice(start, start + 10);
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(message),
            })),
          }),
        );
        if (result.Failed && result.Failed.length > 0) {
          throw new PartialSendFailure(`${result.Failed.length} of ${batch.length} messages were not queued`);
        }
      }
    },
  };
}
