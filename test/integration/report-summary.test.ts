// The report sums the per-day counters its own table's cases wrote, so every count here is exact.
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as addCustomerMessage } from '#functions/http/add-customer-message';
import { handler as appealCase } from '#functions/http/appeal-case';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as changeCaseStatus } from '#functions/http/change-case-status';
import { handler as giveFeedback } from '#functions/http/give-feedback';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as resolveCase } from '#functions/http/resolve-case';
import { agent, anOpenCaseViaApi, auditor, callRoute, supervisor } from '../support/case-routes.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import { anInquiry } from '../support/factories.ts';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';

const agentRoute = (name: string) => `POST /agent/cases/{caseId}/${name}`;

let env: Awaited<ReturnType<typeof createIntegrationEnvironment>>;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  // A complaint worked to the end, appealed and resolved again.
  const complaint = await anOpenCaseViaApi(env);
  const customer = { 'X-Case-Token': complaint.accessToken };
  const caseId = complaint.caseId;
  await callRoute(assignCase, agentRoute('assign'), { caseId, body: {}, claims: agent });
  await callRoute(replyToCase, agentRoute('reply'), { caseId, body: { message: '您好' }, claims: agent });
  await callRoute(resolveCase, agentRoute('resolve'), {
    caseId,
    body: { resolution: '赔偿', compensation: { amount: 800, currency: 'CNY' } },
    claims: supervisor,
  });
  await callRoute(giveFeedback, 'POST /cases/{caseId}/feedback', {
    caseId,
    body: { score: 5, nps: 9 },
    headers: customer,
  });
  await callRoute(appealCase, 'POST /cases/{caseId}/appeal', {
    caseId,
    body: { reason: '再看看' },
    headers: customer,
  });
  await callRoute(resolveCase, agentRoute('resolve'), {
    caseId,
    body: { resolution: '维持' },
    claims: supervisor,
  });

  // An inquiry that waited for its customer.
  const inquiry = await anOpenCaseViaApi(env, anInquiry() as never);
  await callRoute(assignCase, agentRoute('assign'), { caseId: inquiry.caseId, body: {}, claims: agent });
  await callRoute(changeCaseStatus, agentRoute('status'), {
    caseId: inquiry.caseId,
    body: { status: 'awaiting_customer' },
    claims: agent,
  });
  await callRoute(addCustomerMessage, 'POST /cases/{caseId}/messages', {
    caseId: inquiry.caseId,
    body: { message: 'To Beijing, 2 kg' },
    headers: { 'X-Case-Token': inquiry.accessToken },
  });

  // A complaint still waiting in its queue.
  await anOpenCaseViaApi(env, { subject: '多收了运费', description: '运费多收了十元，要求退款' });
}, 60_000);

/** The summary once the table stream's completer has counted every change so far. */
const report = async (query: Record<string, string> = {}, claims = supervisor) => {
  await drainCaseStream(env);
  return callRoute(reportSummary, 'GET /agent/reports/summary', { query, claims });
};

describe('GET /agent/reports/summary', () => {
  it('counts the cases by type, category, channel and team', async () => {
    const { status, body } = await report();
    expect(status).toBe(200);
    expect(body.counts).toMatchObject({
      byType: { complaint: 2, inquiry: 1 },
      byCategory: { complaint: { service: 1, billing: 1 }, inquiry: { time_limit: 1 } },
      byChannel: { web: 3 },
      byTeam: { branch: 1, finance: 1, service: 1 },
      created: 3,
      complaintSharePercent: 66.7,
    });
  });

  it('counts the statuses cases entered and the results of resolutions', async () => {
    const { body } = await report();
    expect(body.counts.byStatus).toEqual({
      open: 3,
      in_progress: 3,
      awaiting_customer: 1,
      resolved: 2,
      appealed: 1,
    });
    expect(body.counts.byResult).toEqual({ compensated: 2 });
  });

  it('gives CSAT, % satisfied and NPS', async () => {
    const { body } = await report();
    expect(body.csat).toEqual({ responses: 1, average: 5, satisfiedPercent: 100 });
    expect(body.nps).toEqual({ responses: 1, score: 100 });
  });

  it('gives the median times and the SLA compliance of each clock', async () => {
    const { body } = await report();
    expect(body.medians.firstResponse).toEqual({ atMostMinutes: 5, samples: 1 });
    expect(body.medians.resolution).toEqual({ atMostMinutes: 5, samples: 1 });
    expect(body.slaCompliance).toEqual({
      firstResponse: { met: 1, breached: 0, compliancePercent: 100 },
      plan: { met: 1, breached: 0, compliancePercent: 100 },
      resolution: { met: 1, breached: 0, compliancePercent: 100 },
      appeal: { met: 1, breached: 0, compliancePercent: 100 },
    });
  });

  it('shows the same figures to an auditor', async () => {
    const bySupervisor = await report();
    const byAuditor = await report({}, auditor);
    expect(byAuditor.status).toBe(200);
    expect(byAuditor.body.counts).toEqual(bySupervisor.body.counts);
  });

  it('counts nothing in a range without activity', async () => {
    const { body } = await report({ from: '2026-01-01', to: '2026-01-31' });
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-01-31', counts: { created: 0 } });
    expect(body.byDay).toHaveLength(31);
    expect(body.nps).toBeNull();
  });

  it.each([
    [{ from: '2026-03-02', to: '2026-03-01' }, 'from'],
    [{ from: '2024-01-01', to: '2026-01-01' }, 'from'],
    [{ from: '2026-13-45' }, 'from'],
  ])('rejects the range %j (400)', async (query, path) => {
    const response = await report(query);
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe(path);
  });
});
