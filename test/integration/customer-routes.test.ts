import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { handler as addCustomerMessage } from '#functions/http/add-customer-message';
import { handler as appealCase } from '#functions/http/appeal-case';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as changeCaseStatus } from '#functions/http/change-case-status';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as giveFeedback } from '#functions/http/give-feedback';
import { handler as resolveCase } from '#functions/http/resolve-case';
import type { Dependencies } from '#use-cases/ports';
import {
  agent,
  anOpenCaseViaApi,
  callRoute,
  type SubmittedCase,
  supervisor,
} from '../support/case-routes.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});
afterEach(() => resetSystemClock());

const route = {
  messages: 'POST /cases/{caseId}/messages',
  feedback: 'POST /cases/{caseId}/feedback',
  appeal: 'POST /cases/{caseId}/appeal',
  view: 'GET /cases/{caseId}',
} as const;

const asCustomer = (
  handler: Parameters<typeof callRoute>[0],
  key: string,
  submitted: SubmittedCase,
  body: unknown,
) =>
  callRoute(handler, key, {
    caseId: submitted.caseId,
    body,
    headers: { 'X-Case-Token': submitted.accessToken },
  });

async function aResolvedCase(): Promise<SubmittedCase> {
  const submitted = await anOpenCaseViaApi(env);
  await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', {
    caseId: submitted.caseId,
    body: {},
    claims: agent,
  });
  const resolved = await callRoute(resolveCase, 'POST /agent/cases/{caseId}/resolve', {
    caseId: submitted.caseId,
    body: { resolution: '已核实并致歉' },
    claims: agent,
  });
  expect(resolved.status).toBe(200);
  return submitted;
}

describe('the case token', () => {
  it.each([
    ['messages', addCustomerMessage, route.messages, { message: '补充信息' }],
    ['feedback', giveFeedback, route.feedback, { score: 5 }],
    ['appeal', appealCase, route.appeal, { reason: '不满意' }],
  ] as const)(
    '%s answers 404 alike for a wrong token, a missing token and an unknown case',
    async (_n, handler, key, body) => {
      const submitted = await anOpenCaseViaApi(env);
      const wrong = await callRoute(handler, key, {
        caseId: submitted.caseId,
        body,
        headers: { 'X-Case-Token': 'not-the-token' },
      });
      const missing = await callRoute(handler, key, { caseId: submitted.caseId, body });
      const unknown = await callRoute(handler, key, {
        caseId: 'CS2601010001ZZ',
        body,
        headers: { 'X-Case-Token': submitted.accessToken },
      });
      for (const response of [wrong, missing, unknown]) {
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('not_found');
      }
      expect(wrong.body.error.message).toBe(unknown.body.error.message);
    },
  );

  it('is accepted as ?token= for links in emails', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const response = await callRoute(addCustomerMessage, route.messages, {
      caseId: submitted.caseId,
      body: { message: '从邮件链接补充' },
      query: { token: submitted.accessToken },
    });
    expect(response.status).toBe(201);
  });
});

describe('POST /cases/{caseId}/messages', () => {
  it('adds the message to the customer’s timeline and resumes a case waiting for them', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const { caseId } = submitted;
    await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', { caseId, body: {}, claims: agent });
    await callRoute(changeCaseStatus, 'POST /agent/cases/{caseId}/status', {
      caseId,
      body: { status: 'awaiting_customer' },
      claims: agent,
    });
    shiftSystemClock(2 * 3600_000);
    const response = await asCustomer(addCustomerMessage, route.messages, submitted, {
      message: '快递员电话是…',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ caseId, status: 'in_progress' });
    const stored = await deps.cases.getCase(caseId);
    expect(stored?.clocks.resolution).toMatchObject({ state: 'running' });
    expect(stored?.clocks.resolution?.pausedMs).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(response.body.deadlines.resolutionDueAt).toBe(stored?.clocks.resolution?.dueAt);

    const view = await callRoute(getCustomerCase, route.view, {
      caseId,
      headers: { 'X-Case-Token': submitted.accessToken },
    });
    expect(view.body.status).toBe('in_progress');
    expect(view.body.timeline).toContainEqual(
      expect.objectContaining({ kind: 'customer_message', message: '快递员电话是…' }),
    );
  });

  it('answers 409 for a resolved case, and 400 for an empty message', async () => {
    const submitted = await aResolvedCase();
    const resolved = await asCustomer(addCustomerMessage, route.messages, submitted, {
      message: '还有一件事',
    });
    expect(resolved.status).toBe(409);
    expect(resolved.body.error).toMatchObject({
      code: 'invalid_transition',
      details: [{ path: 'status', message: 'resolved' }],
    });
    const empty = await asCustomer(addCustomerMessage, route.messages, submitted, { message: '' });
    expect(empty.status).toBe(400);
  });
});

describe('POST /cases/{caseId}/feedback', () => {
  it('is taken once for a resolved case; a second answer is a 409 conflict', async () => {
    const submitted = await aResolvedCase();
    const first = await asCustomer(giveFeedback, route.feedback, submitted, {
      score: 5,
      nps: 10,
      comment: '很好',
    });
    expect(first.status).toBe(201);
    expect((await deps.cases.getCase(submitted.caseId))?.feedback).toMatchObject({ score: 5, nps: 10 });
    const second = await asCustomer(giveFeedback, route.feedback, submitted, { score: 1 });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');
  });

  it('answers 409 before the case is resolved', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const response = await asCustomer(giveFeedback, route.feedback, submitted, { score: 4 });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('invalid_transition');
  });

  it('rejects a score outside 1–5 and an NPS outside 0–10 (400)', async () => {
    const submitted = await aResolvedCase();
    const response = await asCustomer(giveFeedback, route.feedback, submitted, { score: 6, nps: 11 });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['nps', 'score']);
  });
});

describe('POST /cases/{caseId}/appeal', () => {
  it('puts a resolved case under a supervisor with a new deadline', async () => {
    const submitted = await aResolvedCase();
    const response = await asCustomer(appealCase, route.appeal, submitted, { reason: '赔偿不合理' });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('appealed');
    const stored = await deps.cases.getCase(submitted.caseId);
    expect(stored).toMatchObject({
      status: 'appealed',
      appealCount: 1,
      escalationLevel: 1,
      handler: null,
      owner: 'alice',
    });
    expect(response.body.deadlines.appealDueAt).toBe(stored?.clocks.appeal?.dueAt);

    // Agents may not work the review; the supervisor resolves it again.
    const byAgent = await callRoute(resolveCase, 'POST /agent/cases/{caseId}/resolve', {
      caseId: submitted.caseId,
      body: { resolution: '维持' },
      claims: agent,
    });
    expect(byAgent.status).toBe(403);
    const bySupervisor = await callRoute(resolveCase, 'POST /agent/cases/{caseId}/resolve', {
      caseId: submitted.caseId,
      body: { resolution: '复核后追加补偿' },
      claims: supervisor,
    });
    expect(bySupervisor.body.status).toBe('resolved');
  });

  it('answers 409 for a case that is still being worked', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const response = await asCustomer(appealCase, route.appeal, submitted, { reason: 'x' });
    expect(response.status).toBe(409);
    expect(response.body.error.details).toEqual([{ path: 'status', message: 'open' }]);
  });

  it('answers 409 conflict more than a year after the resolution', async () => {
    const submitted = await aResolvedCase();
    shiftSystemClock(366 * 86_400_000);
    const response = await asCustomer(appealCase, route.appeal, submitted, { reason: 'x' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
  });
});
