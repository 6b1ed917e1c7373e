// The summary by month and by team, with its targets, from the counters its own table's cases wrote.
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCountersKeys, reportTeamCountersKeys } from '#adapters/case-keys';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { beijingDate } from '#domain/beijing-time';
import { handler as giveFeedback } from '#functions/http/give-feedback';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as resolveCase } from '#functions/http/resolve-case';
import { agent, anOpenCaseViaApi, callRoute, manager } from '../support/case-routes.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

const days = 86_400_000;
let firstDay: string;
let lastDay: string;
let env: IntegrationEnvironment;

beforeAll(async () => {
  env = await createIntegrationEnvironment();
  firstDay = beijingDate(new Date());
  // A rude-courier complaint (branch), answered at once; a billing complaint (finance) left in its queue.
  const service = await anOpenCaseViaApi(env);
  await anOpenCaseViaApi(env, { subject: '多收了运费', description: '运费多收了十元，要求退款' });
  await callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
    caseId: service.caseId,
    body: { message: '您好，我们正在核实' },
    claims: agent,
  });
  // Forty days on, in another month: the branch resolves it late, and the customer is satisfied.
  shiftSystemClock(40 * days);
  lastDay = beijingDate(new Date(Date.now() + 40 * days));
  await callRoute(resolveCase, 'POST /agent/cases/{caseId}/resolve', {
    caseId: service.caseId,
    body: { resolution: '已致歉' },
    claims: agent,
  });
  await callRoute(giveFeedback, 'POST /cases/{caseId}/feedback', {
    caseId: service.caseId,
    body: { score: 5 },
    headers: { 'X-Case-Token': service.accessToken },
  });
}, 60_000);
afterAll(() => resetSystemClock());

/** The summary once the table stream's completer has counted every change so far. */
const report = async () => {
  await drainCaseStream(env);
  return callRoute(reportSummary, 'GET /agent/reports/summary', {
    query: { from: firstDay, to: lastDay },
    claims: manager,
  });
};

describe('GET /agent/reports/summary by month and team', () => {
  it('keeps the existing fields and adds the months of the range', async () => {
    const { status, body } = await report();
    expect(status).toBe(200);
    expect(body.counts.created).toBe(2);
    expect(body.byDay.length).toBeGreaterThan(40);
    const months = body.byMonth.map((month: { month: string }) => month.month);
    expect(months).toEqual([...new Set(months)].sort());
    expect(months[0]).toBe(firstDay.slice(0, 7));
    expect(months.at(-1)).toBe(lastDay.slice(0, 7));
    const first = body.byMonth[0];
    const last = body.byMonth.at(-1);
    expect(first).toMatchObject({ created: 2, resolved: 0 });
    expect(first.slaCompliance.firstResponse).toEqual({ met: 1, breached: 0, compliancePercent: 100 });
    expect(last).toMatchObject({ created: 0, resolved: 1, csat: { responses: 1, satisfiedPercent: 100 } });
    expect(last.slaCompliance.resolution).toEqual({ met: 0, breached: 1, compliancePercent: 0 });
  });

  it('gives each team its own figures', async () => {
    const { body } = await report();
    expect(Object.keys(body.byTeam).sort()).toEqual(['branch', 'finance']);
    expect(body.byTeam.branch).toMatchObject({ created: 1, resolved: 1, csat: { satisfiedPercent: 100 } });
    expect(body.byTeam.finance).toMatchObject({ created: 1, resolved: 0, csat: { responses: 0 } });
  });

  it('shows each target beside its figure, for the range, each month and each team', async () => {
    const { body } = await report();
    expect(body.targets.satisfiedPercent).toEqual({ target: 90, actual: 100, met: true });
    expect(body.targets.slaCompliance.firstResponse).toEqual({ target: 95, actual: 100, met: true });
    expect(body.targets.slaCompliance.resolution).toEqual({ target: 95, actual: 0, met: false });
    expect(body.byMonth[0].targets.satisfiedPercent).toEqual({ target: 90, actual: null, met: null });
    expect(body.byTeam.branch.targets.slaCompliance.resolution.met).toBe(false);
  });

  const read = async (keys: Array<{ pk: string; sk: string }>) => {
    const documents = DynamoDBDocumentClient.from(env.dynamodb);
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      const Keys = keys.slice(start, start + 100);
      const result = await documents.send(
        new BatchGetCommand({ RequestItems: { [env.tableName]: { Keys } } }),
      );
      items.push(...(result.Responses?.[env.tableName] ?? []));
    }
    return items;
  };

  it("keeps the team counters on the day's item: one counter item a counted change, none beside it", async () => {
    await drainCaseStream(env);
    const dayItems = await read(reportCountersKeys(firstDay));
    const teamNames = dayItems.flatMap(Object.keys).filter((name) => name.startsWith('team.'));
    expect(teamNames).toContain('team.branch.created.type.complaint');
    expect(teamNames).toContain('team.finance.created.type.complaint');
    expect(await read(reportTeamCountersKeys(firstDay))).toEqual([]);
  });

  it('still adds the team items counted before 2026-11-30 (session 9) (kept beside the day item) to the team figures', async () => {
    const before = (await report()).body.byTeam.finance.created;
    const [legacyKey] = reportTeamCountersKeys(firstDay);
    const documents = DynamoDBDocumentClient.from(env.dynamodb);
    await documents.send(
      new PutCommand({
        TableName: env.tableName,
        Item: {
          ...legacyKey,
          entity: 'reportTeamCounters',
          day: firstDay,
          'team.finance.created.type.complaint': 2,
        },
      }),
    );
    try {
      const { body } = await report();
      expect(body.byTeam.finance.created).toBe(before + 2);
      expect(body.byTeam.branch.created).toBe(1);
    } finally {
      await documents.send(new DeleteCommand({ TableName: env.tableName, Key: legacyKey }));
    }
  });
});
