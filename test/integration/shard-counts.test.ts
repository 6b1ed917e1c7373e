// Shard proof: the same cases, stored under write-shard counts of 2, 32, and while moving from 2 to 32
// (old entries still under 2), give the same list order page by page, the same report totals and the
// same cases found due by the sweep — against DynamoDB Local, each layout in a table of its own.
import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCaseIndex } from '#adapters/case-index';
import { dynamoCaseStore } from '#adapters/case-store';
import type { ShardCount, ShardLayout } from '#adapters/case-table';
import { caseTableClient } from '#adapters/case-table-client';
import { dynamoReportCounters } from '#adapters/report-counters';
import { listCases } from '#use-cases/list-cases';
import type { Dependencies } from '#use-cases/ports';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';
import { anAcceptance } from '../support/support-cases.ts';

const count = (shards: number, draining: number[] = []): ShardCount => ({ count: shards, draining });
const layoutOf = (shards: number, draining: number[] = []): ShardLayout => ({
  statusKeys: count(shards, draining),
  reportCounters: count(shards, draining),
  dueClocks: count(shards, draining),
  pendingOutbox: count(shards, draining),
});

const day = '2026-11-11';
const firstReceived = Date.parse('2026-11-11T01:00:00Z');
const subjects = ['快递员骂人', '我的电话号码被泄露了', '多收了运费', '包裹破损', '快递一直没有送到'];
const caseIds = Array.from({ length: 40 }, (_, n) => `CS261111${String(1000 + n)}AB`);
const staff = { sub: 'sue', roles: ['supervisor' as const] };
const documentClient = (env: IntegrationEnvironment) =>
  DynamoDBDocumentClient.from(env.dynamodb, { marshallOptions: { removeUndefinedValues: true } });

/** One table holding the 40 cases: stored under `before`, then (from the 20th) under `after`. */
async function storeCases(env: IntegrationEnvironment, before: ShardLayout, after = before) {
  const tableName = `shards-${randomBytes(4).toString('hex')}`;
  await createCaseTable(env.dynamodb, tableName);
  for (const [n, caseId] of caseIds.entries()) {
    const cases = dynamoCaseStore(caseTableClient(documentClient(env), tableName, n < 20 ? before : after));
    const acceptance = anAcceptance({
      caseId,
      receivedAt: new Date(firstReceived + (n % 7) * 60_000 + n * 1_000),
      submission: { subject: subjects[n % subjects.length] },
    });
    await cases.createCase(acceptance.received, []);
    const reportCounters = {
      day,
      increments: { 'created.type.complaint': 1, [`status.${acceptance.supportCase.status}`]: 1 },
    };
    const saved = await cases.saveCase(acceptance.supportCase, {
      timeline: acceptance.timeline,
      reportCounters,
    });
    // What the table stream's completer does with the change, under this layout's report shards.
    await dynamoReportCounters(
      caseTableClient(documentClient(env), tableName, n < 20 ? before : after),
    ).countChanges({
      lane: 'shardId-00000001',
      changes: [
        {
          change: {
            caseId,
            version: saved.version,
            at: saved.updatedAt,
            timeline: [],
            notifications: [],
            reportCounters,
          },
          position: String(100 + n),
        },
      ],
    });
  }
  const table = caseTableClient(documentClient(env), tableName, after);
  return { caseIndex: dynamoCaseIndex(table), reports: dynamoReportCounters(table) };
}

/** Every page of the list, a few at a time, as the agent workspace reads it. */
async function wholeList(caseIndex: Dependencies['caseIndex'], filters: { team?: 'branch' } = {}) {
  const deps = { caseIndex } as Pick<Dependencies, 'caseIndex'> as Dependencies;
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases({ ...filters, breached: false, limit: 7, cursor }, staff, deps);
    pages.push(page.cases.map((row) => row.caseId));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

async function observe(stores: Awaited<ReturnType<typeof storeCases>>) {
  return {
    pages: await wholeList(stores.caseIndex),
    branchPages: await wholeList(stores.caseIndex, { team: 'branch' }),
    report: await stores.reports.getReportCounters([day]),
    // A month on, every clock of every case is past its deadline: the sweep finds each case once.
    due: (await stores.caseIndex.findDueCaseIds('2026-12-11T00:00:00.000Z')).sort(),
  };
}

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

describe('write-shard counts', () => {
  let atTwo: Awaited<ReturnType<typeof observe>>;

  it('lists, reports and sweeps 40 cases under 2 shards', async () => {
    atTwo = await observe(await storeCases(env, layoutOf(2)));
    expect(atTwo.pages.flat()).toHaveLength(40);
    expect(new Set(atTwo.pages.flat()).size).toBe(40);
    expect(atTwo.branchPages.flat().length).toBeGreaterThan(0);
    expect(atTwo.report[0]?.counters['created.type.complaint']).toBe(40);
    expect(atTwo.due).toEqual([...caseIds].sort());
  }, 60_000);

  it('gives the same pages, totals and due cases under 32 shards', async () => {
    expect(await observe(await storeCases(env, layoutOf(32)))).toEqual(atTwo);
  }, 60_000);

  it('gives the same while moving from 2 to 32: new writes use 32, reads cover both until 2 drains', async () => {
    expect(await observe(await storeCases(env, layoutOf(2), layoutOf(32, [2])))).toEqual(atTwo);
  }, 60_000);

  it('still finds cases written unsharded once status keys move to shards (the draining count 1)', async () => {
    const unsharded = { ...layoutOf(8), statusKeys: count(1) };
    const moving = { ...layoutOf(8), statusKeys: count(32, [1]) };
    expect((await observe(await storeCases(env, unsharded, moving))).pages).toEqual(atTwo.pages);
  }, 60_000);
});
