// What every SQS consumer tells its use case of a message's delivery (functions/middleware/sqs-consumer.ts):
// whether this receive is the last before the dead-letter queue, and a lease no retry of the message can
// outlive, from the consumer's own queue (a notification claim held that long is never taken again by a
// later receive of the same message).
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig, retryBackoffOf } from '#shared/config';
import { leaseCoveringRetriesMs, queueNamed, wholeRetrySeconds } from '#shared/work-queues';
import * as z from '#shared/zod';
import type { MessageAttempt } from '#use-cases/ports';
import { sqsConsumer } from '../../functions/middleware/sqs-consumer.ts';
import {
  createIntegrationEnvironment,
  deliverBatch,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

it.each(['notifications', 'smsNotifications'] as const)(
  'gives a %s message its receive and a lease covering every retry of it',
  async (queue) => {
    const seen: MessageAttempt[] = [];
    const handler = sqsConsumer(queue, z.object({ n: z.number() }), [], async (_message, attempt) => {
      seen.push(attempt);
    });
    await env.sqs.send(
      new SendMessageCommand({ QueueUrl: env.queues[queue].url, MessageBody: JSON.stringify({ n: 1 }) }),
    );
    await deliverBatch(env, queue, handler);
    const backoff = retryBackoffOf(loadConfig());
    expect(seen).toEqual([
      { finalAttempt: false, leaseMs: leaseCoveringRetriesMs(queue, backoff), messageId: expect.any(String) },
    ]);
    const [attempt] = seen;
    expect(attempt?.leaseMs).toBeGreaterThan(wholeRetrySeconds(queue, backoff) * 1000);
    expect(queueNamed(queue).maxReceiveCount).toBeGreaterThan(1);
  },
);
