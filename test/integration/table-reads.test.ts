// The table client's single reads (case-table-client.ts `get`) against DynamoDB Local through the counting
// proxy: reads asked for at once go out as one call, a lone read as the GetItem it always was, and each
// read gets its own item (or nothing) back whatever the others asked.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type CountingProxies, startCountingProxies } from '../../infra/sandbox/counting-proxy.ts';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import { type CaseTableClient, caseTableClient } from '../../shared/adapters/case-table-client.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const tableName = `reads-${randomBytes(4).toString('hex')}`;
let proxies: CountingProxies;
let dynamodb: DynamoDBClient;
let table: CaseTableClient;

const key = (n: number) => ({ pk: `CASE#R${n}`, sk: 'CASE' });

beforeAll(async () => {
  const emulators = inject('emulators');
  proxies = await startCountingProxies(emulators);
  const direct = new DynamoDBClient({ endpoint: emulators.dynamodb, region: 'us-east-1', credentials });
  await createCaseTable(direct, tableName);
  direct.destroy();
  dynamodb = new DynamoDBClient({ endpoint: proxies.endpoints.dynamodb, region: 'us-east-1', credentials });
  table = caseTableClient(DynamoDBDocumentClient.from(dynamodb), tableName);
  await table.batchWrite(
    Array.from({ length: 150 }, (_, n) => ({ PutRequest: { Item: { ...key(n), entity: 'case', n } } })),
  );
});
afterAll(async () => {
  dynamodb?.destroy();
  await proxies?.stop();
});
beforeEach(() => proxies.reset());

const calls = () => proxies.counts().dynamodb.calls;

describe('reading single items', () => {
  it('sends a lone read as one GetItem', async () => {
    expect(await table.get(key(1))).toMatchObject({ n: 1 });
    expect(await table.get({ pk: 'CASE#none', sk: 'CASE' })).toBeUndefined();
    expect(calls()).toEqual({ GetItem: 2 });
  });

  it('sends reads asked for at once as one BatchGetItem, each answered with its own item', async () => {
    const [first, missing, second, again] = await Promise.all([
      table.get(key(2)),
      table.get({ pk: 'CASE#none', sk: 'CASE' }),
      table.get(key(3)),
      table.get(key(2)),
    ]);
    expect(first).toMatchObject({ n: 2 });
    expect(missing).toBeUndefined();
    expect(second).toMatchObject({ n: 3 });
    expect(again).toMatchObject({ n: 2 });
    expect(calls()).toEqual({ BatchGetItem: 1 });
  });

  it('keeps consistent and eventually consistent reads apart, and reads after a turn of the loop anew', async () => {
    await Promise.all([
      table.get(key(4), { consistent: true }),
      table.get(key(5), { consistent: true }),
      table.get(key(6)),
    ]);
    expect(calls()).toEqual({ BatchGetItem: 1, GetItem: 1 });
    // Consistent reads cost twice the units of eventually consistent ones: 2 × 1 + 0.5.
    expect(proxies.counts().dynamodb.readUnits).toBe(2.5);
    proxies.reset();
    await table.get(key(7));
    await table.get(key(8));
    expect(calls()).toEqual({ GetItem: 2 });
  });

  it('reads more than a BatchGetItem takes in chunks of 100', async () => {
    const items = await Promise.all(Array.from({ length: 150 }, (_, n) => table.get(key(n))));
    expect(items.map((item) => item?.n)).toEqual(Array.from({ length: 150 }, (_, n) => n));
    expect(calls()).toEqual({ BatchGetItem: 2 });
  });

  it('fails every read of a call that fails, and none of the next', async () => {
    const broken = caseTableClient(DynamoDBDocumentClient.from(dynamodb), `${tableName}-missing`);
    const reads = await Promise.allSettled([broken.get(key(1)), broken.get(key(2))]);
    expect(reads.map((read) => read.status)).toEqual(['rejected', 'rejected']);
    expect(await table.get(key(9))).toMatchObject({ n: 9 });
  });
});
