import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxies, startCountingProxies } from '../../../infra/sandbox/counting-proxy.ts';
import type { SandboxCounts } from '../../../infra/tools/capacity/measured.ts';
import { billedWriteUnits, costOf, fixedMonthlyCost, lessIdleRuns, prices } from '../../bench/prices.ts';

/** A stand-in for DynamoDB Local, SQS and SES: records what reached it, answers each call as scripted. */
function emulator(answer: (target: string, body: string) => { status: number; body: unknown }) {
  const seen: Array<{ target: string; body: string; url: string }> = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ target, body, url: request.url ?? '' });
    const scripted = answer(target, body);
    response.writeHead(scripted.status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(scripted.body));
  });
  return {
    seen,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
        }),
      ),
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const capacity = {
  'DynamoDB_20120810.PutItem': {
    ConsumedCapacity: {
      TableName: 'cases',
      CapacityUnits: 5,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 2 }, dueClocks: { CapacityUnits: 1 } },
    },
  },
  'DynamoDB_20120810.TransactWriteItems': {
    ConsumedCapacity: [
      {
        TableName: 'cases',
        CapacityUnits: 10,
        Table: { CapacityUnits: 6 },
        GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 4 } },
      },
    ],
  },
  'DynamoDB_20120810.GetItem': { Item: {}, ConsumedCapacity: { TableName: 'cases', CapacityUnits: 1 } },
  'DynamoDB_20120810.Query': { Items: [], ConsumedCapacity: { TableName: 'cases', CapacityUnits: 0.5 } },
  'DynamoDB_20120810.DescribeTable': { Table: {} },
} as Record<string, unknown>;

describe('the counting proxy', () => {
  const dynamodb = emulator((target, body) =>
    target.endsWith('UpdateItem') && body.includes('fail')
      ? { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' } }
      : body.includes('nothing')
        ? // DynamoDB Local's answer to a read that finds nothing: no units.
          { status: 200, body: { Items: [], ConsumedCapacity: { TableName: 'cases', CapacityUnits: 0 } } }
        : { status: 200, body: capacity[target] ?? {} },
  );
  const sqs = emulator(() => ({ status: 200, body: {} }));
  const ses = emulator(() => ({ status: 200, body: { MessageId: 'm' } }));
  let proxies: CountingProxies;
  beforeAll(async () => {
    const [dynamodbUrl, sqsUrl, sesUrl] = await Promise.all([dynamodb.start(), sqs.start(), ses.start()]);
    proxies = await startCountingProxies({ dynamodb: dynamodbUrl, sqs: sqsUrl, ses: sesUrl });
  });
  afterAll(async () => {
    await proxies?.stop();
    await Promise.all([dynamodb.stop(), sqs.stop(), ses.stop()]);
  });

  const call = (endpoint: string, target: string, body: unknown = {}, path = '/') =>
    fetch(`${endpoint}${path}`, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body),
    });

  it('counts a known sequence of calls by operation, with table, index and read units', async () => {
    const db = proxies.endpoints.dynamodb;
    const answer = await call(db, 'DynamoDB_20120810.PutItem', { TableName: 'cases' });
    // The caller gets the emulator's answer whole.
    expect(await answer.json()).toEqual(capacity['DynamoDB_20120810.PutItem']);
    await call(db, 'DynamoDB_20120810.TransactWriteItems', { ReturnConsumedCapacity: 'TOTAL' });
    await call(db, 'DynamoDB_20120810.GetItem', { ConsistentRead: true });
    await call(db, 'DynamoDB_20120810.GetItem', {});
    await call(db, 'DynamoDB_20120810.Query', {});
    await call(db, 'DynamoDB_20120810.Query', { KeyConditionExpression: 'nothing' });
    await call(db, 'DynamoDB_20120810.GetItem', { ConsistentRead: true, Key: 'nothing' });
    expect((await call(db, 'DynamoDB_20120810.UpdateItem', { fail: true })).status).toBe(400);
    await call(db, 'DynamoDB_20120810.DescribeTable', { TableName: 'cases' });
    await call(proxies.endpoints.sqs, 'AmazonSQS.SendMessage');
    await call(proxies.endpoints.sqs, 'AmazonSQS.SendMessageBatch');
    await call(proxies.endpoints.sqs, 'AmazonSQS.SendMessage');
    await call(proxies.endpoints.ses, '', {}, '/v2/email/outbound-emails');
    await fetch(`${proxies.endpoints.ses}/store`);

    expect(proxies.counts()).toEqual({
      dynamodb: {
        calls: { PutItem: 1, TransactWriteItems: 1, GetItem: 3, Query: 2, UpdateItem: 1, DescribeTable: 1 },
        failed: { UpdateItem: 1 },
        readUnits: 2.5,
        // The two reads that found nothing at DynamoDB's minimum: 0.5 eventually consistent, 1 strongly.
        readUnitsAtLeast: 4,
        tableWriteUnits: 8,
        indexWriteUnits: { byStatus: 6, dueClocks: 1 },
        transactionIndexWriteUnits: 4,
        unreported: 0,
        // The PutItem wrote an item without a key this emulator could name; the transaction listed none.
        keyWrites: { other: 1 },
        // The transaction's request listed no items.
        transactionItems: 0,
        transactionTableWriteUnits: 6,
        transactionTableWriteUnitsBilled: 0,
      },
      sqs: { SendMessage: 2, SendMessageBatch: 1 },
      emails: 1,
    });
  });

  it('asks DynamoDB for per-index capacity on every call that can report it, and leaves others as they were', () => {
    const forwarded = dynamodb.seen.map((call) => ({
      target: call.target.split('.')[1],
      body: JSON.parse(call.body),
    }));
    for (const { target, body } of forwarded) {
      if (target === 'DescribeTable') expect(body).toEqual({ TableName: 'cases' });
      else expect(body.ReturnConsumedCapacity).toBe('INDEXES');
    }
    expect(forwarded.find((call) => call.target === 'GetItem')?.body.ConsistentRead).toBe(true);
  });

  it('starts again from nothing on reset', () => {
    proxies.reset();
    expect(proxies.counts().dynamodb.calls).toEqual({});
    expect(proxies.counts().emails).toBe(0);
  });
});

describe('the price arithmetic', () => {
  it('turns one case’s use into $ per 1,000 cases, messaging apart', () => {
    const cost = costOf({
      readUnits: 20,
      writeUnits: 100,
      sqsRequests: 10,
      lambda: { SubmitCase: { invocations: 2, ms: 1000, memoryMb: 1024 } },
      emails: 5,
    });
    // 100 × $0.625/M + 20 × $0.125/M, for 1,000 cases.
    expect(cost.dynamodb).toBeCloseTo(0.0625 + 0.0025, 10);
    // 2 requests × $0.20/M + 1 GB-s × $0.0000133334, for 1,000 cases.
    expect(cost.lambda).toBeCloseTo(0.0004 + 0.0133334, 10);
    expect(cost.sqs).toBeCloseTo(0.004, 10);
    expect(cost.excludingMessaging).toBeCloseTo(cost.dynamodb + cost.lambda + cost.sqs, 10);
    expect(cost.emails).toBeCloseTo(0.5, 10);
    expect(cost.withMessaging).toBeCloseTo(cost.excludingMessaging + 0.5, 10);
    expect(cost.xray).toBeCloseTo(2 * prices.xrayTrace * 1000, 10);
  });

  it('prices the stack at rest from its shape', () => {
    const fixed = fixedMonthlyCost({
      functions: 10,
      queues: 2,
      streamTriggers: 1,
      streamFailureQueues: 1,
      schedules: [
        {
          name: 'sla-sweep',
          everyMinutes: 1,
          memoryMb: 1024,
          idle: { readUnits: 100, queries: 200, ms: 50 },
        },
      ],
      staffMau: 100,
    });
    const line = (item: string) => fixed.find((one) => one.item === item)?.monthly;
    // 2 × 2 queue alarms + 10 function alarms + 1 iterator age + 1 on-failure queue + the 2-metric API
    // alarm + the 4-metric outbox alarm + SMS spend + 5 business metrics: 28 alarm metrics.
    expect(line('CloudWatch alarms')).toBeCloseTo(2.8, 10);
    expect(line('CloudWatch dashboard')).toBe(3);
    expect(line('Cognito (Plus plan)')).toBeCloseTo(2, 10);
    // 2 queues × 5 pollers × 3 polls a minute × 43,800 minutes × $0.40/M.
    expect(line('SQS pollers at rest')).toBeCloseTo(0.5256, 10);
    // 43,800 runs × (a request + 0.05 s × 1 GB + 100 read units), the idle run as measured.
    expect(line('schedule sla-sweep')).toBeCloseTo(
      43_800 * (prices.lambdaRequest + 0.05 * prices.lambdaGbSecond + 100 * prices.dynamodbReadUnit),
      10,
    );
  });

  const lived = (): SandboxCounts => ({
    dynamodb: {
      calls: { Query: 240, PutItem: 20, TransactWriteItems: 3 },
      failed: {},
      readUnits: 19,
      readUnitsAtLeast: 135,
      tableWriteUnits: 60,
      indexWriteUnits: { byTeamStatus: 15, dueClocks: 5 },
      transactionIndexWriteUnits: 4,
      unreported: 0,
      keyWrites: {},
      transactionItems: 9,
      transactionTableWriteUnits: 7,
      transactionTableWriteUnitsBilled: 20,
    },
    sqs: { SendMessageBatch: 6 },
    emails: 5,
    lambda: {
      SlaSweep: { invocations: 1, ms: 240, memoryMb: 512 },
      SubmitCase: { invocations: 1, ms: 120, memoryMb: 512 },
    },
  });

  it('bills every transaction item at 2 units a KB where DynamoDB Local reported less', () => {
    // 60 + 20 reported, less the 7 the transactions reported, plus the 20 they are billed.
    expect(billedWriteUnits(lived().dynamodb)).toBe(93);
  });

  it('leaves a scheduled run at its idle cost out of a case: the fixed cost prices it', () => {
    const idle = new Map([['SlaSweep', { readUnits: 114.5, queries: 229, ms: 200 }]]);
    const marginal = lessIdleRuns(lived(), idle);
    expect(marginal.lambda.SlaSweep).toEqual({ invocations: 0, ms: 40, memoryMb: 512 });
    expect(marginal.lambda.SubmitCase).toEqual(lived().lambda.SubmitCase);
    expect(marginal.dynamodb.readUnitsAtLeast).toBeCloseTo(20.5, 10);
    expect(marginal.dynamodb.calls.Query).toBe(11);
    // A run cheaper than the idle one measured costs the case nothing, never less than nothing.
    const slow = lessIdleRuns(lived(), new Map([['SlaSweep', { readUnits: 500, queries: 900, ms: 900 }]]));
    expect(slow.lambda.SlaSweep?.ms).toBe(0);
    expect(slow.dynamodb.readUnitsAtLeast).toBe(19);
    expect(slow.dynamodb.calls.Query).toBe(0);
    // A function the lifecycle did not run is left alone.
    expect(lessIdleRuns(lived(), new Map([['Retention', { readUnits: 5, queries: 5, ms: 5 }]]))).toEqual(
      lived(),
    );
  });
});
