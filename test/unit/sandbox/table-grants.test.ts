// The sandbox's stand-in for IAM on the case table: a function's DynamoDB requests are checked against the
// table actions and key families its catalogue entry names.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { functionNamed } from '#infra/catalogue';
import { holdToCatalogueGrants, refusal, runningFunction } from '../../../infra/sandbox/table-grants.ts';

const s = (value: string) => ({ S: value });

describe('a request against a catalogue access', () => {
  const notificationConsumer = functionNamed('NotificationConsumer').access.table;

  it('is allowed on the key families its action names', () => {
    expect(
      refusal(notificationConsumer, 'UpdateItem', { Key: { pk: s('CASE#CS1'), sk: s('NOTIFICATION#1') } }),
    ).toBeUndefined();
    expect(
      refusal(notificationConsumer, 'DeleteItem', { Key: { pk: s('SURVEYED#h'), sk: s('SURVEYED') } }),
    ).toBeUndefined();
  });

  it('is refused on another family, and for an action the access does not name', () => {
    expect(refusal(notificationConsumer, 'PutItem', { Item: { pk: s('CASE#CS1'), sk: s('CASE') } })).toMatch(
      /put on case key/,
    );
    expect(
      refusal(notificationConsumer, 'DeleteItem', { Key: { pk: s('CASE#CS1'), sk: s('CASE') } }),
    ).toMatch(/delete/);
    expect(refusal(functionNamed('Health').access.table, 'GetItem', { Key: { pk: s('CASE#CS1') } })).toMatch(
      /get/,
    );
  });

  it('checks every item of a transaction and of a batch', () => {
    const submit = functionNamed('SubmitCase').access.table;
    const transaction = (pk: string) => ({
      TransactItems: [{ Put: { Item: { pk: s('CASE#CS1') } } }, { Put: { Item: { pk: s(pk) } } }],
    });
    expect(refusal(submit, 'TransactWriteItems', transaction('CONTACT#h'))).toBeUndefined();
    expect(refusal(submit, 'TransactWriteItems', transaction('SUPPRESSION#h'))).toMatch(/suppression/);
    const report = functionNamed('ReportSummary').access.table;
    const batch = (pk: string) => ({
      RequestItems: { cases: { Keys: [{ pk: s('REPORT#2026-11-30#S0') }, { pk: s(pk) }] } },
    });
    expect(refusal(report, 'BatchGetItem', batch('REPORT#2026-11-30#S1'))).toBeUndefined();
    expect(refusal(report, 'BatchGetItem', batch('CASE#CS1'))).toMatch(/batchGet on case/);
  });

  it('reads a query’s partition from its key condition, and an index query by its name', () => {
    const view = functionNamed('GetCustomerCase').access.table;
    const query = (pk: string) => ({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': s(pk) },
    });
    expect(refusal(view, 'Query', query('CASE#CS1'))).toBeUndefined();
    expect(refusal(view, 'Query', query('CONTACT#h'))).toMatch(/query on contact/);
    const list = functionNamed('ListAgentCases').access.table;
    expect(refusal(list, 'Query', { IndexName: 'byTeamStatus' })).toBeUndefined();
    expect(refusal(list, 'Query', { IndexName: 'dueClocks' })).toMatch(/index dueClocks/);
  });

  it('refuses a scan to everyone', () => {
    expect(refusal(functionNamed('SlaSweep').access.table, 'Scan', {})).toMatch(/granted to no function/);
  });
});

describe('a DynamoDB client held to the grants', () => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
  );
  holdToCatalogueGrants(client);
  const asHealth = <T>(work: () => Promise<T>) =>
    runningFunction.run({ name: 'Health', access: functionNamed('Health').access }, work);

  it('refuses, before sending, what the running function may not do', async () => {
    await expect(
      asHealth(() => client.send(new GetCommand({ TableName: 't', Key: { pk: 'CASE#CS1', sk: 'CASE' } }))),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(/^Health is not authorized to perform dynamodb:GetItem/),
    });
    await expect(
      runningFunction.run({ name: 'SlaSweep', access: functionNamed('SlaSweep').access }, () =>
        client.send(new ScanCommand({ TableName: 't' })),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      runningFunction.run({ name: 'GetAgentCase', access: functionNamed('GetAgentCase').access }, () =>
        client.send(new PutCommand({ TableName: 't', Item: { pk: 'LIMIT#x', sk: 'WINDOW#1' } })),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('lets an allowed request through to the endpoint (here, one nothing listens on)', async () => {
    const allowed = runningFunction.run(
      { name: 'GetAgentCase', access: functionNamed('GetAgentCase').access },
      () => client.send(new PutCommand({ TableName: 't', Item: { pk: 'CASE#CS1', sk: 'TIMELINE#1' } })),
    );
    await expect(allowed).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
  });
});
