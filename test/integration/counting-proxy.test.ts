// The cost benchmark's counting proxy against the real DynamoDB Local and SES emulator: the units it
// reports for a known sequence of calls are the ones DynamoDB bills (table and per-index, transactions
// doubled), though the code never asked for them, and the SDK works unchanged through it.
import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CountingProxies, startCountingProxies } from '../../infra/sandbox/counting-proxy.ts';
import { createCaseTable } from '../../infra/sandbox/resources.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const tableName = `count-${randomBytes(4).toString('hex')}`;
let proxies: CountingProxies;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  const emulators = inject('emulators');
  proxies = await startCountingProxies({
    dynamodb: emulators.dynamodb,
    sqs: emulators.sqs,
    ses: emulators.ses,
  });
  const direct = new DynamoDBClient({ endpoint: emulators.dynamodb, region: 'us-east-1', credentials });
  await createCaseTable(direct, tableName);
  direct.destroy();
  dynamodb = new DynamoDBClient({ endpoint: proxies.endpoints.dynamodb, region: 'us-east-1', credentials });
});
afterAll(async () => {
  dynamodb?.destroy();
  await proxies?.stop();
});

/** A 1.7 KB case-like item in the agent-list index and the sparse due-clock index (neither projects `body`). */
const listedCase = (pk: string) => ({
  pk: { S: pk },
  sk: { S: 'CASE' },
  teamStatusKey: { S: 'branch#open' },
  urgencyKey: { S: '1#2026-11-29' },
  dueShard: { S: '3' },
  nextCheckAt: { S: '2026-11-29T10:00:00Z' },
  body: { S: 'x'.repeat(1700) },
});

describe('the counting proxy in front of DynamoDB Local', () => {
  it('counts the table and index units DynamoDB bills for a known sequence of calls', async () => {
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: listedCase('CASE#1') }));
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: listedCase('CASE#2') } },
          { Put: { TableName: tableName, Item: { pk: { S: 'CASE#2' }, sk: { S: 'TL#1' } } } },
          { Put: { TableName: tableName, Item: { pk: { S: 'CASE#2' }, sk: { S: 'TL#2' } } } },
        ],
      }),
    );
    const read = await dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } },
        ConsistentRead: true,
      }),
    );
    expect(read.Item?.teamStatusKey?.S).toBe('branch#open');
    await expect(
      dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: listedCase('CASE#1'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const { dynamodb: counts } = proxies.counts();
    expect(counts.calls).toEqual({ PutItem: 2, TransactWriteItems: 1, GetItem: 1 });
    expect(counts.failed).toEqual({ PutItem: 1 });
    // 2 KB: 2 units in the table; the indexes project keys (and the list row, not `body`): 1 each. The
    // transaction doubles its table units, and DynamoDB Local doubles its index units too. DynamoDB Local
    // adds each distinct item size once (2 KB and 1 KB: 2 × (2 + 1)), where DynamoDB bills every item
    // (2 × (2 + 1 + 1)): the proxy reports both.
    expect(counts.tableWriteUnits).toBe(2 + 2 * (2 + 1));
    expect(counts.transactionItems).toBe(3);
    expect(counts.transactionTableWriteUnits).toBe(2 * (2 + 1));
    expect(counts.transactionTableWriteUnitsBilled).toBe(2 * (2 + 1 + 1));
    expect(counts.indexWriteUnits).toEqual({ byTeamStatus: 1 + 2, dueClocks: 1 + 2 });
    expect(counts.transactionIndexWriteUnits).toBe(2 + 2);
    expect(counts.readUnits).toBe(1);
    expect(counts.unreported).toBe(0);
    // Items written by the calls that succeeded, by key kind: the model of `npm run capacity` reads these.
    expect(counts.keyWrites).toEqual({ CASE: 1 + 3 });
  });

  it('counts the emails the SES emulator accepted', async () => {
    const ses = new SESv2Client({ endpoint: proxies.endpoints.ses, region: 'us-east-1', credentials });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'care@parcel-care.example',
        Destination: { ToAddresses: ['count@example.com'] },
        Content: { Simple: { Subject: { Data: 'counted' }, Body: { Text: { Data: 'once' } } } },
      }),
    );
    ses.destroy();
    expect(proxies.counts().emails).toBe(1);
  });
});
