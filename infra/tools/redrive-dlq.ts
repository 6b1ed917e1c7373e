// npm run redrive -- <queue> [--sandbox [--sandbox-url http://127.0.0.1:3000]] [--stack ParcelCare-<stage>] [--mode move|copy]
// After a fix, moves the messages of a queue's dead-letter queue back to the queue, so they are
// delivered again (a notification marked failed is claimable again; nothing already sent is resent).
//
// In AWS (default): finds the queue and its DLQ among the stack's queues and starts an SQS message
// move task (StartMessageMoveTask), then reports its progress. In the sandbox (`--sandbox`, which asks
// GET /_sandbox/queues; PORT or --sandbox-url says where): fauxqs has no move tasks, so it copies
// (receive, send, delete) message by message; `--mode copy` does that against AWS too.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { type QueueName, queueNames } from '#shared/work-queues';
import { pascalCase } from '../stack/names.ts';
import { explainAwsError, missingAwsSettings, parseCli, usageError } from './cli.ts';

const usage = `Usage: npm run redrive -- <${queueNames.join('|')}> [--sandbox [--sandbox-url <url>]] [--stack ParcelCare-<stage>] [--mode move|copy]

Puts the messages of a queue's dead-letter queue back on the queue, after a fix.
  In AWS (default): the stack ParcelCare-$STAGE (STAGE, default dev) or --stack, with the region and
    credentials of the AWS SDK (AWS_REGION or AWS_PROFILE); an SQS message move task (--mode move) or
    message by message (--mode copy).
  Against the sandbox: --sandbox (asks http://127.0.0.1:$PORT/_sandbox/queues) or --sandbox-url <url>;
    copies message by message.

  npm run redrive -- notifications --sandbox
  AWS_PROFILE=ops AWS_REGION=cn-north-1 npm run redrive -- notifications --stack ParcelCare-prod`;

export interface RedriveTarget {
  queueUrl: string;
  deadLetterUrl: string;
}

/** The queue and its DLQ as a running sandbox reports them. */
export async function sandboxTarget(sandboxUrl: string, queue: QueueName): Promise<RedriveTarget> {
  const response = await fetch(`${sandboxUrl.replace(/\/$/, '')}/_sandbox/queues`);
  if (!response.ok) throw new Error(`${sandboxUrl}/_sandbox/queues answered ${response.status}`);
  const { queues } = (await response.json()) as {
    queues: Array<{ name: string; url: string; deadLetterUrl?: string }>;
  };
  const found = queues.find((candidate) => candidate.name === queue);
  if (!found?.deadLetterUrl)
    throw new Error(`The sandbox reports no queue ${queue} with a dead-letter queue`);
  return { queueUrl: found.url, deadLetterUrl: found.deadLetterUrl };
}

/**
 * The deployed queue and DLQ: CloudFormation names them `<stack>-State<Queue>Queue…` and
 * `<stack>-State<Queue>DeadLetterQueue…` after the construct ids in infra/stack/case-state.ts.
 */
export async function stackTarget(
  client: SQSClient,
  stackName: string,
  queue: QueueName,
): Promise<RedriveTarget> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListQueuesCommand({ QueueNamePrefix: stackName, NextToken: nextToken, MaxResults: 1000 }),
    );
    urls.push(...(page.QueueUrls ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const id = pascalCase(queue);
  const named = (part: string) => urls.filter((url) => url.split('/').pop()?.includes(part));
  const [queueUrl, ...otherQueues] = named(`State${id}Queue`);
  const [deadLetterUrl, ...otherDlqs] = named(`State${id}DeadLetterQueue`);
  if (!queueUrl || !deadLetterUrl || otherQueues.length > 0 || otherDlqs.length > 0) {
    throw new Error(
      `Could not tell ${queue} and its dead-letter queue apart among the queues of ${stackName}: ${urls.join(', ') || 'none'}`,
    );
  }
  return { queueUrl, deadLetterUrl };
}

/** Receive, send back, delete: at-least-once (a crash between send and delete leaves a copy in the DLQ). */
export async function copyBack(client: SQSClient, target: RedriveTarget): Promise<number> {
  let moved = 0;
  for (let emptyReceives = 0; emptyReceives < 2; ) {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: target.deadLetterUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      emptyReceives += 1;
      continue;
    }
    emptyReceives = 0;
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: target.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        })),
      }),
    );
    const delivered = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const entries = messages
      .map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' }))
      .filter((entry) => delivered.has(entry.Id));
    if (entries.length > 0) {
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: target.deadLetterUrl, Entries: entries }));
    }
    moved += entries.length;
  }
  return moved;
}

/** SQS's own redrive: a message move task from the DLQ back to its source queue. */
export async function moveBack(
  client: SQSClient,
  target: RedriveTarget,
  report: (line: string) => void,
): Promise<number> {
  const arnOf = async (queueUrl: string) =>
    (await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn ?? '';
  const [sourceArn, destinationArn] = await Promise.all([
    arnOf(target.deadLetterUrl),
    arnOf(target.queueUrl),
  ]);
  const started = await client.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
  );
  report(`Started message move task ${started.TaskHandle ?? ''}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [task] =
      (await client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }))).Results ??
      [];
    if (!task) continue;
    report(
      `${task.Status}: ${task.ApproximateNumberOfMessagesMoved ?? 0} of ${task.ApproximateNumberOfMessagesToMove ?? '?'} moved`,
    );
    if (task.Status === 'COMPLETED') return task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task.Status === 'FAILED' || task.Status === 'CANCELLED') {
      throw new Error(
        `The move task ended ${task.Status}${task.FailureReason ? `: ${task.FailureReason}` : ''}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli({
    help: usage,
    allowPositionals: true,
    options: {
      sandbox: { type: 'boolean' },
      'sandbox-url': { type: 'string' },
      stack: { type: 'string' },
      mode: { type: 'string' },
    },
  });
  const sandboxFlag = values.sandbox === true || values['sandbox-url'] !== undefined;
  const queue = positionals[0] as QueueName | undefined;
  if (!queue) usageError(usage, 'Name the queue to redrive.');
  if (!queueNames.includes(queue)) usageError(usage, `No queue ${queue}; queues: ${queueNames.join(', ')}.`);
  const mode = values.mode ?? (sandboxFlag ? 'copy' : 'move');
  if (mode !== 'move' && mode !== 'copy') usageError(usage, `--mode is move or copy, not ${mode}.`);
  const missing = sandboxFlag ? null : missingAwsSettings();
  if (missing) {
    console.error(`Redrive needs AWS settings. ${missing}`);
    process.exit(1);
  }

  let client: SQSClient;
  let target: RedriveTarget;
  if (sandboxFlag) {
    const sandboxUrl = values['sandbox-url'] ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
    target = await sandboxTarget(sandboxUrl, queue);
    client = new SQSClient({
      endpoint: new URL(target.queueUrl).origin,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
  } else {
    client = new SQSClient({});
    target = await stackTarget(client, values.stack ?? `ParcelCare-${process.env.STAGE ?? 'dev'}`, queue);
  }
  console.log(`Redriving ${queue}: ${target.deadLetterUrl} → ${target.queueUrl} (${mode})`);
  let moved: number;
  try {
    moved =
      mode === 'move'
        ? await moveBack(client, target, (line) => console.log(line))
        : await copyBack(client, target);
  } catch (error) {
    // An emulator without message move tasks (fauxqs): copy instead.
    if (
      mode !== 'move' ||
      !/Unknown action|UnsupportedOperation|InvalidAction/i.test((error as Error).message)
    )
      throw error;
    console.log('This SQS has no message move tasks; copying message by message instead');
    moved = await copyBack(client, target);
  }
  console.log(`${moved} message(s) back on ${queue}`);
  client.destroy();
}

if (import.meta.main) {
  main().catch((error: Error) => {
    console.error(`Redrive failed: ${explainAwsError(error)}`);
    process.exit(1);
  });
}
