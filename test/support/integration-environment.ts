// Each integration test file gets its own table and queues in the shared emulators, and calls the
// real handlers with the event shapes AWS sends: API Gateway v2 and SQS batches.
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
} from 'aws-lambda';
import { inject } from 'vitest';
import { resetDependencies } from '#adapters/dependencies';
import { type AbuseLimits, productionLimits } from '#shared/abuse-limits';
import { resetConfigCache } from '#shared/config';
import { type QueueName, queueUrlVariable } from '#shared/work-queues';
import { lambdaContext as sandboxLambdaContext, toSqsRecords } from '../../infra/sandbox/lambda-runtime.ts';
import {
  bucketEnvironment,
  createBuckets,
  createCaseTable,
  createQueues,
  type SandboxQueue,
} from '../../infra/sandbox/resources.ts';

export interface IntegrationEnvironment {
  tableName: string;
  queues: Record<QueueName, SandboxQueue>;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  emulators: { dynamodb: string; sqs: string; ses: string; sms: string; s3: string };
}

/** Limits no handler test reaches; the limits' own tests set production's (productionLimits). */
export const unlimited: AbuseLimits = {
  ...productionLimits,
  sourcePerMinute: 1_000_000,
  recipientCasesPerHour: 1_000_000,
  recipientCasesPerDay: 1_000_000,
  recipientMessagesPerHour: 1_000_000,
  recipientMessagesPerDay: 1_000_000,
  caseMessagesPerDay: 1_000_000,
};

export async function createIntegrationEnvironment(): Promise<IntegrationEnvironment> {
  const emulators = inject('emulators');
  const suffix = randomBytes(4).toString('hex');
  const tableName = `cases-${suffix}`;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodb,
    AWS_ENDPOINT_URL_SQS: emulators.sqs,
    AWS_ENDPOINT_URL_SESV2: emulators.ses,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: emulators.sms,
    AWS_ENDPOINT_URL_S3: emulators.s3,
    TABLE_NAME: tableName,
    SENDER_EMAIL: 'care@parcel-care.example',
    PUBLIC_BASE_URL: 'https://care.example.com',
    HMAC_SECRET: randomBytes(32).toString('base64url'),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    // Handlers under test share one source and a few addresses; the limits' own tests set theirs.
    ABUSE_LIMITS: JSON.stringify(unlimited),
  });
  const dynamodb = new DynamoDBClient({});
  const sqs = new SQSClient({});
  await createCaseTable(dynamodb, tableName);
  const created = await createQueues(sqs, `t-${suffix}`, emulators.sqs);
  for (const queue of created) process.env[queueUrlVariable(queue.name)] = queue.url;
  const s3 = new S3Client({ forcePathStyle: true });
  Object.assign(process.env, bucketEnvironment(await createBuckets(s3, `t-${suffix}`)));
  s3.destroy();
  resetConfigCache();
  resetDependencies();
  return {
    tableName,
    queues: Object.fromEntries(created.map((queue) => [queue.name, queue])) as Record<
      QueueName,
      SandboxQueue
    >,
    sqs,
    dynamodb,
    emulators,
  };
}

/** The context Lambda passes, for a handler called directly by a test. */
export function lambdaContext(): Context {
  return sandboxLambdaContext({ name: 'Test', memoryMb: 512, timeoutSeconds: 30 });
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT';
  routeKey: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  claims?: Record<string, string>;
  /** The caller's address as API Gateway reports it; 203.0.113.7 unless given. */
  sourceIp?: string;
}

export function apiGatewayEvent(call: ApiCall): APIGatewayProxyEventV2 {
  const body =
    call.body === undefined
      ? undefined
      : typeof call.body === 'string'
        ? call.body
        : JSON.stringify(call.body);
  const headers = {
    ...(body !== undefined && typeof call.body !== 'string' ? { 'content-type': 'application/json' } : {}),
    ...Object.fromEntries(
      Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
  };
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: call.routeKey,
    rawPath: call.path,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers,
    ...(call.query ? { queryStringParameters: call.query } : {}),
    ...(call.pathParameters ? { pathParameters: call.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'test',
      http: {
        method: call.method,
        path: call.path,
        protocol: 'HTTP/1.1',
        sourceIp: call.sourceIp ?? '203.0.113.7',
        userAgent: 'vitest',
      },
      requestId: randomUUID(),
      routeKey: call.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(call.claims ? { authorizer: { jwt: { claims: call.claims, scopes: null } } } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export async function callApi<T = any>(handler: ApiHandler, call: ApiCall): Promise<ApiResponse<T>> {
  const result = await handler(apiGatewayEvent(call), lambdaContext());
  return {
    status: result.statusCode ?? 200,
    body: result.body ? JSON.parse(result.body) : undefined,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
  };
}

type SqsHandler = (
  event: { Records: ReturnType<typeof toSqsRecords> },
  context: Context,
) => Promise<SQSBatchResponse>;

/**
 * One poll of an event source mapping: receive a batch, invoke the consumer, delete what succeeded.
 * Returns the batch response, or null when the queue had nothing visible.
 */
export async function deliverBatch(
  env: IntegrationEnvironment,
  queue: QueueName,
  handler: SqsHandler,
  options: { duplicate?: boolean } = {},
): Promise<{ received: number; failed: string[] } | null> {
  const { url } = env.queues[queue];
  const received = await env.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return null;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${queue}`;
  const records = toSqsRecords(messages, arn);
  // At-least-once delivery: the same records may reach the consumer twice.
  const batches = options.duplicate ? [records, records] : [records];
  const failed = new Set<string>();
  for (const batch of batches) {
    const response = await handler({ Records: batch }, lambdaContext());
    for (const failure of response.batchItemFailures) failed.add(failure.itemIdentifier);
  }
  const succeeded = records.filter((record) => !failed.has(record.messageId));
  if (succeeded.length > 0) {
    await env.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: succeeded.map((record, index) => ({
          Id: String(index),
          ReceiptHandle: record.receiptHandle,
        })),
      }),
    );
  }
  return { received: messages.length, failed: [...failed] };
}

/** Deliver until the queue has nothing visible. */
export async function drainQueue(
  env: IntegrationEnvironment,
  queue: QueueName,
  handler: SqsHandler,
): Promise<number> {
  let delivered = 0;
  for (let round = 0; round < 50; round += 1) {
    const batch = await deliverBatch(env, queue, handler);
    if (!batch) return delivered;
    delivered += batch.received - batch.failed.length;
  }
  return delivered;
}

export async function visibleMessages(
  env: IntegrationEnvironment,
  queue: QueueName,
  dlq = false,
): Promise<number> {
  const { url, dlqUrl } = env.queues[queue];
  const result = await env.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq ? dlqUrl : url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** The Reply-To addresses (case emails carry the case's signed reply address). */
  replyTo?: string[];
}

export async function emailsTo(env: IntegrationEnvironment, address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${env.emulators.ses}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((email) => email.destination.to.includes(address));
}

export async function smsTo(
  env: IntegrationEnvironment,
  phone: string,
): Promise<Array<{ to: string; body: string }>> {
  const sent = (await (await fetch(`${env.emulators.sms}/messages`)).json()) as {
    messages: Array<{ to: string; body: string }>;
  };
  return sent.messages.filter((message) => message.to === phone);
}

/** A unique address per test, so tests never see each other's mail in the shared SES store. */
export function uniqueEmail(name = 'customer'): string {
  return `${name}.${randomBytes(4).toString('hex')}@example.com`;
}

export function uniqueMobile(): string {
  return `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}
