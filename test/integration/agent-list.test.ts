// The agent list reads the status indexes of its own table, so the cases here are all it can see.

import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseKey, statusKeys } from '#adapters/case-keys';
import { caseTable } from '#adapters/case-table';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as listAgentCases } from '#functions/http/list-agent-cases';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { caseSummary } from '#use-cases/agent-views';
import { agent, anOpenCaseViaApi, auditor, callRoute } from '../support/case-routes.ts';
import { anInquiry } from '../support/factories.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await createIntegrationEnvironment();
  // One case per priority, created least urgent first so creation order is not what sorts them.
  ids.inquiry = (await anOpenCaseViaApi(env, anInquiry() as never)).caseId; // low, service
  ids.billing = (
    await anOpenCaseViaApi(env, { subject: '多收了运费', description: '运费多收了十元，要求退款' })
  ).caseId; // normal, finance
  ids.rude = (await anOpenCaseViaApi(env)).caseId; // high, branch
  ids.privacy = (
    await anOpenCaseViaApi(env, {
      subject: '我的电话号码被泄露了',
      description: '快递员把我的手机号和地址泄露给了别人',
    })
  ).caseId; // urgent, security
  ids.rudeToo = (await anOpenCaseViaApi(env, { subject: '快递员骂人' })).caseId; // high, branch, due later
  // Two of them are being worked: the list spans several status partitions.
  for (const caseId of [ids.rude, ids.inquiry]) {
    await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', { caseId, body: {}, claims: agent });
  }
}, 60_000);
afterEach(() => resetSystemClock());

const list = (query: Record<string, string> = {}, claims = agent) =>
  callRoute(listAgentCases, 'GET /agent/cases', { query, claims });
const idsOf = (body: { cases: { caseId: string }[] }) => body.cases.map((row) => row.caseId);

describe('GET /agent/cases', () => {
  it('lists the active cases most urgent first: priority, then the nearest deadline', async () => {
    const response = await list();
    expect(response.status).toBe(200);
    expect(idsOf(response.body)).toEqual([ids.privacy, ids.rude, ids.rudeToo, ids.billing, ids.inquiry]);
    expect(response.body.cases[0]).toMatchObject({
      priority: 'urgent',
      team: 'security',
      status: 'open',
      breached: false,
      atRisk: false,
    });
    expect(response.body.cases[0]).not.toHaveProperty('customer');
    expect(response.body.nextCursor).toBeUndefined();
  });

  it('filters by status and by team', async () => {
    expect(idsOf((await list({ status: 'in_progress' })).body)).toEqual([ids.rude, ids.inquiry]);
    expect(idsOf((await list({ team: 'branch' })).body)).toEqual([ids.rude, ids.rudeToo]);
    expect(idsOf((await list({ team: 'branch', status: 'open' })).body)).toEqual([ids.rudeToo]);
    expect(idsOf((await list({ status: 'closed' })).body)).toEqual([]);
  });

  it('pages through every status with a cursor, in the same order, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await list({ limit: '2', ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      expect(response.body.cases.length).toBeLessThanOrEqual(2);
      seen.push(...idsOf(response.body));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([ids.privacy, ids.rude, ids.rudeToo, ids.billing, ids.inquiry]);
  });

  it('lists only cases with a breached clock when asked', async () => {
    shiftSystemClock(3 * 3600_000);
    await callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
      caseId: ids.billing,
      body: { message: '抱歉回复晚了' },
      claims: agent,
    });
    resetSystemClock();
    const response = await list({ breached: 'true' });
    expect(idsOf(response.body)).toEqual([ids.billing]);
    expect(response.body.cases[0].breached).toBe(true);
  });

  it('is open to auditors, who see no contact details in it', async () => {
    const response = await list({}, auditor);
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('@example.com');
  });

  it('reads each row from the index alone: the same row as the whole case gives, and no personal data', async () => {
    const deps = await dependencies();
    const row = (await list({ status: 'open', team: 'security' })).body.cases[0];
    const supportCase = await deps.cases.getCase(ids.privacy);
    expect(row).toEqual(JSON.parse(JSON.stringify(caseSummary(supportCase!))));
    // The status keys are write-sharded, and without a team every team's are read: the case is in one of them.
    const index = caseTable.indexes.byTeamStatus;
    const shards = await Promise.all(
      statusKeys('open', undefined).map((key) =>
        env.dynamodb.send(
          new QueryCommand({
            TableName: env.tableName,
            IndexName: index.indexName,
            KeyConditionExpression: '#key = :key',
            ExpressionAttributeNames: { '#key': index.partitionKey.name },
            ExpressionAttributeValues: { ':key': { S: key } },
          }),
        ),
      ),
    );
    const items = shards
      .flatMap((stored) => stored.Items ?? [])
      .filter((item) => item.caseId?.S === ids.privacy);
    expect(items).toHaveLength(1);
    expect(items[0]?.teamStatusKey?.S).toMatch(/^TEAM#security#STATUS#open(#\d+)?$/);
    for (const personal of ['customer', 'contactHashes', 'tokenNonce', 'accessTokenHash', 'description']) {
      expect(items[0]).not.toHaveProperty(personal);
    }
    // One list index only: the case item carries no all-teams key (`byStatus`'s, dropped 2026-11-30).
    const stored = await env.dynamodb.send(
      new GetItemCommand({
        TableName: env.tableName,
        Key: { pk: { S: caseKey(ids.privacy).pk }, sk: { S: 'CASE' } },
      }),
    );
    expect(stored.Item?.teamStatusKey).toBeDefined();
    expect(stored.Item).not.toHaveProperty('statusKey');
  });

  it('rejects a forged cursor and a cursor made with other filters (400)', async () => {
    const forged = await list({ cursor: 'bm90LWEtY3Vyc29y' });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0].path).toBe('cursor');
    const first = await list({ limit: '1' });
    const otherFilters = await list({ limit: '1', team: 'branch', cursor: first.body.nextCursor });
    expect(otherFilters.status).toBe(400);
  });

  it('rejects a limit above 100 and an unknown status (400)', async () => {
    expect((await list({ limit: '500' })).status).toBe(400);
    expect((await list({ status: 'lost' })).status).toBe(400);
  });
});
