// Creates the stack's table and queues in the emulators, from the same definitions the CDK stack uses.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { caseTable, type IndexDefinition } from '#adapters/case-table';
import { type BucketName, bucketNameVariable, buckets } from '#shared/storage-buckets';
import { type QueueName, queues, queueUrlVariable } from '#shared/work-queues';
import { visibilityTimeoutSeconds } from '../catalogue.ts';

export async function createCaseTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes: IndexDefinition[] = Object.values(caseTable.indexes);
  const attributes = new Map<string, 'S' | 'N'>();
  for (const key of [
    caseTable.partitionKey,
    caseTable.sortKey,
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    attributes.set(key.name, key.type);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: [
          { AttributeName: caseTable.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: caseTable.sortKey.name, KeyType: 'RANGE' },
        ],
        // The stream CaseChangeCompleter reads (infra/sandbox/table-stream-source.ts polls it).
        StreamSpecification: { StreamEnabled: true, StreamViewType: caseTable.stream },
        GlobalSecondaryIndexes: indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection:
            index.projection === 'all'
              ? { ProjectionType: 'ALL' }
              : index.projection === 'keys_only'
                ? { ProjectionType: 'KEYS_ONLY' }
                : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: caseTable.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // Kept from an earlier run (.sandbox/ holds the data).
    if (!(error instanceof ResourceInUseException)) throw error;
    await enableStream(client, tableName);
  }
}

/** A table kept from a run before the case table had a stream gets one (its items are not replayed). */
async function enableStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const stream = Table?.StreamSpecification;
  if (stream?.StreamEnabled && stream.StreamViewType === caseTable.stream) return;
  if (stream?.StreamEnabled) {
    // Another view type: a stream's view cannot change, so it is replaced.
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
    );
  }
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: caseTable.stream },
    }),
  );
}

export interface SandboxQueue {
  name: QueueName;
  url: string;
  /** The URL as fauxqs names the queue, which is what `aws sqs list-queues` and get-queue-url print. */
  awsCliUrl: string;
  dlqUrl: string;
  maxReceiveCount: number;
}

/**
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/…`, a host that does not resolve here;
 * the SDK sends requests to the queue URL's host, so point it at the emulator's own address.
 */
export function reachableQueueUrl(queueUrl: string, endpoint: string): string {
  const url = new URL(queueUrl);
  const target = new URL(endpoint);
  url.protocol = target.protocol;
  url.host = target.host;
  return url.toString();
}

export async function createQueues(
  client: SQSClient,
  prefix: string,
  endpoint: string,
): Promise<SandboxQueue[]> {
  const created: SandboxQueue[] = [];
  for (const definition of queues) {
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${definition.name}-dlq`,
        Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
      }),
    );
    const dlqArn = (
      await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: reachableQueueUrl(dlq.QueueUrl!, endpoint),
          AttributeNames: ['QueueArn'],
        }),
      )
    ).Attributes?.QueueArn;
    const queue = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${definition.name}`,
        Attributes: {
          VisibilityTimeout: String(visibilityTimeoutSeconds(definition.name)),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: definition.maxReceiveCount,
          }),
        },
      }),
    );
    created.push({
      name: definition.name,
      url: reachableQueueUrl(queue.QueueUrl!, endpoint),
      awsCliUrl: queue.QueueUrl!,
      dlqUrl: reachableQueueUrl(dlq.QueueUrl!, endpoint),
      maxReceiveCount: definition.maxReceiveCount,
    });
  }
  return created;
}

export function queueEnvironment(created: readonly SandboxQueue[]): Record<string, string> {
  return Object.fromEntries(created.map((queue) => [queueUrlVariable(queue.name), queue.url]));
}

export interface SandboxBucket {
  name: BucketName;
  bucketName: string;
}

/** The stack's buckets (shared/storage-buckets.ts) in the S3 emulator; a bucket kept from a last run stays. */
export async function createBuckets(client: S3Client, prefix: string): Promise<SandboxBucket[]> {
  const created: SandboxBucket[] = [];
  for (const definition of buckets) {
    const bucketName = `${prefix}-${definition.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucketName }));
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou) && (error as Error).name !== 'BucketAlreadyExists') {
        throw error;
      }
    }
    created.push({ name: definition.name, bucketName });
  }
  return created;
}

export function bucketEnvironment(created: readonly SandboxBucket[]): Record<string, string> {
  return Object.fromEntries(created.map((bucket) => [bucketNameVariable(bucket.name), bucket.bucketName]));
}
