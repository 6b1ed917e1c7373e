// The sandbox's table-stream source against DynamoDB Local's real stream: the case table is created with
// its stream, and only case items that carry a change reach the handler, in order, in the shape Lambda
// gives them; a partial failure is retried from the failed record, and a record that keeps failing is
// reported to the on-failure destination while the shard moves on. The trigger's tumbling window: each event
// names its shard and window and carries the state the handler returned last, and a response without
// state is a failed invocation.
import { randomBytes } from 'node:crypto';
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { functions } from '../../infra/catalogue.ts';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import type { StreamBatchFailure, WindowedStreamEvent } from '../../infra/sandbox/stream-batch-delivery.ts';
import {
  dynamoDbStreamReader,
  latestStreamArn,
  TableStreamSource,
} from '../../infra/sandbox/table-stream-source.ts';

const completer = functions.find((fn) => fn.name === 'CaseChangeCompleter');
if (completer?.trigger.kind !== 'tableStream')
  throw new Error('CaseChangeCompleter is not a tableStream trigger');
const trigger = { ...completer.trigger, retryAttempts: 2 };

const clientOptions = {
  endpoint: inject('emulators').dynamodb,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const dynamodb = new DynamoDBClient(clientOptions);
const streams = new DynamoDBStreamsClient(clientOptions);
const tableName = `stream-${randomBytes(4).toString('hex')}`;
const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/cases/stream/test';

const delivered: DynamoDBRecord[][] = [];
const failures: StreamBatchFailure[] = [];
const seenFlaky = new Set<string>();
let source: TableStreamSource;

const pkOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S ?? '';
const events: WindowedStreamEvent[] = [];
/**
 * The test's handler: `flaky` items fail their first delivery, `poison` items every one, and a batch
 * holding a `stateless` item answers without state. Every answer with state counts the handler's calls.
 */
async function handler(event: WindowedStreamEvent): Promise<DynamoDBBatchResponse & { state?: object }> {
  const records = event.Records;
  events.push(event);
  delivered.push(records);
  if (records.some((record) => record.dynamodb?.NewImage?.stateless)) return { batchItemFailures: [] };
  const failed = records.filter((record) => {
    const image = record.dynamodb?.NewImage;
    if (image?.poison) return true;
    if (image?.flaky && !seenFlaky.has(record.dynamodb?.SequenceNumber ?? '')) {
      seenFlaky.add(record.dynamodb?.SequenceNumber ?? '');
      return true;
    }
    return false;
  });
  return {
    batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
    state: { calls: String(events.length) },
  };
}

beforeAll(async () => {
  await createCaseTable(dynamodb, tableName);
  const localArn = await latestStreamArn(streams, tableName);
  source = new TableStreamSource({
    reader: dynamoDbStreamReader(streams, localArn, { awsRegion: 'us-east-1', eventSourceArn: streamArn }),
    trigger,
    streamArn,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:parcel-care-CaseChangeCompleter',
    invoke: (event) => handler(event as WindowedStreamEvent),
    startingPosition: 'TRIM_HORIZON',
    onFailure: (failure) => failures.push(failure),
    onError: () => {},
    backoffMs: () => 20,
    batchingWindowCapMs: 200,
  });
  await source.start();
});
afterAll(async () => {
  await source?.stop();
  dynamodb.destroy();
  streams.destroy();
});

const put = (pk: string, entity: string, extra: PutItemCommandInput['Item'] = {}) =>
  dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: pk }, sk: { S: 'CASE' }, entity: { S: entity }, ...extra },
    }),
  );
const change = (version: number) => ({ chg: { S: JSON.stringify({ v: version, tl: [], nt: [], rc: [] }) } });

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('delivers case items carrying a change, in order and in shape, retries partial failures and reports a record that keeps failing', async () => {
  await put('case-1', 'case', change(1));
  await put('case-2', 'case');
  await put('case-1-timeline', 'timeline', change(1));
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: 'case-1' }, sk: { S: 'CASE' } },
      UpdateExpression: 'SET chg = :chg',
      ExpressionAttributeValues: { ':chg': change(2).chg },
    }),
  );
  await put('case-3', 'case', { ...change(1), flaky: { BOOL: true } });
  await put('case-4', 'case', { ...change(1), poison: { BOOL: true } });
  await dynamodb.send(
    new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'case-1' }, sk: { S: 'CASE' } } }),
  );

  await until(() => failures.length === 1, 'the poison record reported');
  // The shard moves on past the reported record.
  await put('case-5', 'case', change(1));
  await until(() => delivered.flat().some((record) => pkOf(record) === 'case-5'), 'the record after it');
  await until(() => !source.busy, 'the last batch done');
  expect(await source.depth()).toEqual({ visible: 0, inFlight: 0 });

  // Each record's first delivery, in the order written; nothing without a change, no timeline, no removal.
  const firstDeliveries = [
    ...new Map(delivered.flat().map((record) => [record.dynamodb?.SequenceNumber, record])).values(),
  ];
  expect(firstDeliveries.map((record) => [pkOf(record), record.eventName])).toEqual([
    ['case-1', 'INSERT'],
    ['case-1', 'MODIFY'],
    ['case-3', 'INSERT'],
    ['case-4', 'INSERT'],
    ['case-5', 'INSERT'],
  ]);
  const sequenceNumbers = firstDeliveries.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
  expect([...sequenceNumbers].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequenceNumbers);
  expect(delivered.every((batch) => batch.length <= trigger.batchSize)).toBe(true);

  // Lambda's record shape.
  const nowSeconds = Date.now() / 1000;
  for (const record of firstDeliveries) {
    expect(record).toMatchObject({
      eventID: expect.any(String),
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: pkOf(record) }, sk: { S: 'CASE' } },
        NewImage: { pk: { S: pkOf(record) }, entity: { S: 'case' }, chg: { S: expect.any(String) } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(Math.abs((record.dynamodb?.ApproximateCreationDateTime ?? 0) - nowSeconds)).toBeLessThan(120);
  }
  expect(JSON.parse(firstDeliveries[1]?.dynamodb?.NewImage?.chg?.S ?? '{}')).toMatchObject({ v: 2 });

  // Done records are not delivered again; the flaky one twice; the poison one three times (two retries).
  const deliveriesOf = (pk: string) => delivered.flat().filter((record) => pkOf(record) === pk).length;
  expect(deliveriesOf('case-1')).toBe(2);
  expect(deliveriesOf('case-3')).toBe(2);
  expect(deliveriesOf('case-4')).toBe(3);
  expect(deliveriesOf('case-5')).toBe(1);

  // Lambda's event under a tumbling window: the shard, the window, and the state answered last in it.
  for (const [n, event] of events.entries()) {
    expect(event).toMatchObject({
      shardId: expect.stringMatching(/^shardId-/),
      eventSourceARN: streamArn,
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
    const { start, end } = event.window;
    expect(Date.parse(end) - Date.parse(start)).toBe(trigger.tumblingWindowSeconds * 1000);
    const previous = events[n - 1];
    if (previous?.window.start === start && previous.shardId === event.shardId) {
      expect(event.state).toEqual({ calls: String(n) });
    }
  }

  const poison = firstDeliveries[3]?.dynamodb?.SequenceNumber;
  expect(failures[0]).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { statusCode: 200 },
    DDBStreamBatchInfo: { startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1, streamArn },
  });
});

it('takes an answer without state, under the tumbling window, for a failed invocation', async () => {
  const reported = failures.length;
  await put('case-6', 'case', { ...change(1), stateless: { BOOL: true } });
  await until(() => failures.length === reported + 1, 'the stateless batch reported');
  expect(delivered.flat().filter((record) => pkOf(record) === 'case-6')).toHaveLength(3);
  expect(failures.at(-1)).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { functionError: 'Unhandled' },
  });
});
