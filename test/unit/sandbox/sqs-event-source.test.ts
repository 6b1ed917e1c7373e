// The sandbox's SQS event source polls as Lambda does: five pollers at first, more while the queue has
// work, never more invocations at once than the trigger's maximum concurrency.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../../infra/catalogue.ts';
import { startSqsEmulator } from '../../../infra/sandbox/emulators.ts';
import {
  initialPollers,
  SqsEventSource,
  sandboxConcurrencyOf,
  sandboxQueueConcurrency,
} from '../../../infra/sandbox/lambda-runtime.ts';
import { observed } from '../../fixtures/slow-consumer.ts';

const entry = 'test/fixtures/slow-consumer.ts';
// The runtime imports the handler by file URL; importing the same URL here shares the module's counters.
await import(pathToFileURL(path.resolve(import.meta.dirname, '../../..', entry)).href);

const consumer = (maxConcurrency: number): FunctionDefinition => ({
  name: 'SlowConsumer',
  description: 'test consumer',
  entry,
  trigger: { kind: 'queue', queue: 'intake', batchSize: 2, maxBatchingWindowSeconds: 0, maxConcurrency },
  memoryMb: 128,
  timeoutSeconds: 30,
  access: { table: { get: ['case'] } },
});

let emulator: Awaited<ReturnType<typeof startSqsEmulator>>;
let client: SQSClient;
beforeAll(async () => {
  emulator = await startSqsEmulator();
  client = new SQSClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});
beforeEach(() => Object.assign(observed, { running: 0, peak: 0, records: 0, invocations: 0 }));

async function queueWith(messages: number): Promise<{ url: string; arn: string }> {
  const url = (await client.send(new CreateQueueCommand({ QueueName: `q-${Date.now()}-${messages}` })))
    .QueueUrl!;
  for (let start = 0; start < messages; start += 10) {
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: Math.min(10, messages - start) }, (_, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify({ n: start + n }),
        })),
      }),
    );
  }
  const arn = (
    await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  return { url, arn };
}

async function drain(maxConcurrency: number, messages: number) {
  const queue = await queueWith(messages);
  const source = new SqsEventSource({
    client,
    fn: consumer(maxConcurrency),
    queueUrl: queue.url,
    queueArn: queue.arn,
    batchSize: 2,
    maxConcurrency,
    onError: (error) => {
      throw error;
    },
  });
  source.start();
  const deadline = Date.now() + 20_000;
  while (observed.records < messages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const concurrency = source.concurrency;
  await source.stop();
  return concurrency;
}

describe("the sandbox's SQS event source", () => {
  it('scales out beyond the first five pollers to the maximum concurrency while the queue has work', async () => {
    const concurrency = await drain(8, 60);
    expect(observed.records).toBe(60);
    expect(initialPollers).toBe(5);
    expect(concurrency.peak).toBe(8);
    expect(observed.peak).toBeGreaterThan(initialPollers);
    expect(observed.peak).toBeLessThanOrEqual(8);
  });

  it('runs a trigger sized for the peak at no more than the sandbox’s cap, and a smaller one as deployed', () => {
    // Intake deploys 115 (the expected peak); two cores and one DynamoDB Local run 5.
    expect(sandboxQueueConcurrency).toBe(5);
    expect(sandboxConcurrencyOf(115)).toBe(5);
    expect(sandboxConcurrencyOf(2)).toBe(2);
  });

  it('never runs more invocations at once than a maximum below five', async () => {
    const concurrency = await drain(2, 20);
    expect(observed.records).toBe(20);
    expect(concurrency.peak).toBe(2);
    expect(observed.peak).toBe(2);
  });

  it('scales back in to the first pollers once the queue is empty', async () => {
    const queue = await queueWith(40);
    const source = new SqsEventSource({
      client,
      fn: consumer(10),
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 2,
      maxConcurrency: 10,
      onError: () => {},
    });
    source.start();
    const drained = Date.now() + 20_000;
    while (observed.records < 40 && Date.now() < drained) await new Promise((r) => setTimeout(r, 20));
    // Each extra poller leaves after its next empty receive (a second's long poll at most).
    const until = Date.now() + 10_000;
    while (source.concurrency.now > initialPollers && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_200));
    const { now, peak } = source.concurrency;
    await source.stop();
    expect(peak).toBeGreaterThan(initialPollers);
    expect(now).toBe(initialPollers);
  });
});
