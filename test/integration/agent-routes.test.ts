import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as changeCaseStatus } from '#functions/http/change-case-status';
import { handler as closeCase } from '#functions/http/close-case';
import { handler as correctCategory } from '#functions/http/correct-category';
import { handler as escalateCase } from '#functions/http/escalate-case';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as listAgentCases } from '#functions/http/list-agent-cases';
import { handler as recordPlan } from '#functions/http/record-plan';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as resolveCase } from '#functions/http/resolve-case';
import type { Dependencies } from '#use-cases/ports';
import {
  agent,
  anOpenCaseViaApi,
  auditor,
  callRoute,
  deliverNotifications,
  manager,
  otherAgent,
  staffClaims,
  supervisor,
} from '../support/case-routes.ts';
import {
  createIntegrationEnvironment,
  emailsTo,
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
  assign: 'POST /agent/cases/{caseId}/assign',
  reply: 'POST /agent/cases/{caseId}/reply',
  plan: 'POST /agent/cases/{caseId}/plan',
  status: 'POST /agent/cases/{caseId}/status',
  escalate: 'POST /agent/cases/{caseId}/escalate',
  resolve: 'POST /agent/cases/{caseId}/resolve',
  close: 'POST /agent/cases/{caseId}/close',
  category: 'POST /agent/cases/{caseId}/category',
  get: 'GET /agent/cases/{caseId}',
  list: 'GET /agent/cases',
  report: 'GET /agent/reports/summary',
} as const;

const take = (caseId: string, claims = agent) =>
  callRoute(assignCase, route.assign, { caseId, body: {}, claims });
const reply = (caseId: string, message: string, claims = agent, internal = false) =>
  callRoute(replyToCase, route.reply, { caseId, body: { message, internal }, claims });
const resolve = (caseId: string, body: Record<string, unknown>, claims = agent) =>
  callRoute(resolveCase, route.resolve, { caseId, body, claims });
const timelineOf = async (caseId: string) => (await deps.cases.getCaseWithTimeline(caseId))!.timeline;

/** Every write route with a valid body, to check what all of them share. */
const writes = [
  ['assign', assignCase, route.assign, {}],
  ['reply', replyToCase, route.reply, { message: '您好' }],
  ['plan', recordPlan, route.plan, { message: '计划' }],
  ['status', changeCaseStatus, route.status, { status: 'awaiting_customer' }],
  ['escalate', escalateCase, route.escalate, { reason: '需要主管' }],
  ['resolve', resolveCase, route.resolve, { resolution: '已解决' }],
  ['close', closeCase, route.close, undefined],
  ['category', correctCategory, route.category, { category: 'billing' }],
] as const;
const reads = [
  ['get', getAgentCase, route.get],
  ['list', listAgentCases, route.list],
  ['report', reportSummary, route.report],
] as const;

describe('authentication and the role table', () => {
  it.each([...writes.map(([name, handler, key]) => [name, handler, key] as const), ...reads])(
    '%s answers 401 without the authorizer’s claims',
    async (_name, handler, key) => {
      const { caseId } = await anOpenCaseViaApi(env);
      const response = await callRoute(handler, key, { caseId, body: {} });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    },
  );

  it.each(writes)('%s answers 403 to an auditor, and changes nothing', async (_name, handler, key, body) => {
    const { caseId } = await anOpenCaseViaApi(env);
    const before = await deps.cases.getCase(caseId);
    const response = await callRoute(handler, key, { caseId, body, claims: auditor });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
    expect((await deps.cases.getCase(caseId))?.version).toBe(before?.version);
  });

  it.each(writes)('%s answers 403 to a token without a known group', async (_name, handler, key, body) => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(handler, key, { caseId, body, claims: staffClaims('visitor', 'vic') });
    expect(response.status).toBe(403);
  });

  it.each(writes)('%s answers 404 for an unknown case', async (_name, handler, key, body) => {
    const response = await callRoute(handler, key, { caseId: 'CS2601010001ZZ', body, claims: manager });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('answers 403 on the report to an agent, and 200 to a supervisor, a manager and an auditor', async () => {
    expect((await callRoute(reportSummary, route.report, { claims: agent })).status).toBe(403);
    for (const claims of [supervisor, manager, auditor]) {
      expect((await callRoute(reportSummary, route.report, { claims })).status).toBe(200);
    }
  });

  it('answers 403 to an agent who closes a case', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    await resolve(caseId, { resolution: '已解决' });
    expect((await callRoute(closeCase, route.close, { caseId, claims: agent })).status).toBe(403);
    const closed = await callRoute(closeCase, route.close, { caseId, claims: supervisor });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
  });
});

describe('GET /agent/cases/{caseId}', () => {
  it('shows its team the whole case with contact details, and writes the read to the audit trail', async () => {
    const { caseId, email } = await anOpenCaseViaApi(env, { customer: { phone: '13800138000' } as never });
    const branchAgent = staffClaims('agent', 'alice', 'alice@carrier.example', ['branch']);
    const response = await callRoute(getAgentCase, route.get, { caseId, claims: branchAgent });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      caseId,
      type: 'complaint',
      category: 'service',
      categorySource: 'inferred',
      status: 'open',
      priority: 'high',
      team: 'branch',
      owner: null,
      escalationLevel: 0,
      contactMasked: false,
      customer: { name: '张三', email, phone: '+8613800138000' },
      clocks: {
        firstResponse: { state: 'running' },
        plan: { state: 'running' },
        resolution: { state: 'running' },
      },
    });
    expect(response.body.timeline.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['created', 'classified', 'contact_viewed']),
    );
    expect(await timelineOf(caseId)).toContainEqual(
      expect.objectContaining({ kind: 'contact_viewed', actor: 'alice', internal: true }),
    );
  });

  it('masks contact details for an auditor, and does not record a read of them', async () => {
    const { caseId } = await anOpenCaseViaApi(env, {
      customer: { email: 'zhangsan@example.com', phone: '13800138000' } as never,
    });
    const response = await callRoute(getAgentCase, route.get, { caseId, claims: auditor });
    expect(response.status).toBe(200);
    expect(response.body.customer).toMatchObject({
      name: '张*',
      email: 'z***@example.com',
      phone: '138****8000',
    });
    expect(response.body.contactMasked).toBe(true);
    expect((await timelineOf(caseId)).map((entry) => entry.kind)).not.toContain('contact_viewed');
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expect(
      (await callRoute(getAgentCase, route.get, { caseId: 'CS2601010001ZZ', claims: agent })).status,
    ).toBe(404);
    expect((await callRoute(getAgentCase, route.get, { caseId: 'nope', claims: agent })).status).toBe(400);
  });
});

describe('POST /agent/cases/{caseId}/assign', () => {
  it('gives the case to whoever takes it first, and keeps them as owner when it is handed over', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const taken = await take(caseId);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'in_progress', owner: 'alice', handler: 'alice' });
    expect((await deps.cases.getCase(caseId))?.handlerEmail).toBe('alice@carrier.example');

    const handedOver = await callRoute(assignCase, route.assign, {
      caseId,
      body: { assignee: 'bob', team: 'operations' },
      claims: agent,
    });
    expect(handedOver.body).toMatchObject({ owner: 'alice', handler: 'bob', team: 'operations' });
    const kinds = (await timelineOf(caseId)).filter((entry) => entry.kind === 'assigned');
    expect(kinds).toHaveLength(2);
  });

  it('rejects an unknown team (400)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(assignCase, route.assign, {
      caseId,
      body: { team: 'kitchen' },
      claims: agent,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('team');
  });

  it('answers 409 naming the status for a resolved case', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    await resolve(caseId, { resolution: '已解决' });
    const response = await callRoute(assignCase, route.assign, {
      caseId,
      body: { assignee: 'bob' },
      claims: agent,
    });
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({
      code: 'invalid_transition',
      details: [{ path: 'status', message: 'resolved' }],
    });
  });
});

describe('POST /agent/cases/{caseId}/reply', () => {
  it('emails a public reply to the customer and meets the first-response clock', async () => {
    const { caseId, email } = await anOpenCaseViaApi(env);
    const response = await reply(caseId, '您好，我们已联系网点负责人核实此事。');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'in_progress', owner: 'alice' });
    await deliverNotifications(env);
    const mails = await emailsTo(env, email);
    expect(mails.some((mail) => (mail.body.text ?? '').includes('我们已联系网点负责人核实此事'))).toBe(true);
    const stored = await deps.cases.getCase(caseId);
    expect(stored?.clocks.firstResponse?.state).toBe('met');
  });

  it('keeps an internal note from the customer', async () => {
    const { caseId, email, accessToken } = await anOpenCaseViaApi(env);
    await take(caseId);
    await deliverNotifications(env);
    const before = (await emailsTo(env, email)).length;
    const response = await reply(caseId, '客户情绪激动，注意措辞', agent, true);
    expect(response.status).toBe(201);
    await deliverNotifications(env);
    expect((await emailsTo(env, email)).length).toBe(before);
    const view = await callRoute(getCustomerCase, 'GET /cases/{caseId}', {
      caseId,
      headers: { 'X-Case-Token': accessToken },
    });
    expect(JSON.stringify(view.body)).not.toContain('注意措辞');
    expect(JSON.stringify(view.body)).not.toContain('alice');
    expect((await deps.cases.getCase(caseId))?.clocks.firstResponse?.state).toBe('running');
  });

  it('rejects an empty message with the failing field (400)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(replyToCase, route.reply, {
      caseId,
      body: { message: '' },
      claims: agent,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('message');
  });
});

describe('POST /agent/cases/{caseId}/plan', () => {
  it('prices a situation with the carrier policy and tells the customer the amount and the rule', async () => {
    const { caseId, email } = await anOpenCaseViaApi(env, {
      type: 'exception',
      category: 'lost',
      subject: '包裹丢失',
      description: '物流显示已签收，但我没有收到',
      shipment: {
        service: 'standard',
        route: 'inter_province',
        insured: false,
        freight: { amount: 18, currency: 'CNY' },
      },
    });
    await take(caseId);
    const response = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: '我们将按丢失件赔付', situation: { kind: 'lost' } },
      claims: agent,
    });
    expect(response.status).toBe(201);
    expect(response.body.compensation).toEqual({
      amount: 54,
      currency: 'CNY',
      rule: 'uninsured loss: 3 × freight',
      approvedBy: null,
    });
    expect((await deps.cases.getCase(caseId))?.clocks.plan?.state).toBe('met');
    await deliverNotifications(env);
    const mails = await emailsTo(env, email);
    expect(mails.some((mail) => (mail.body.text ?? '').includes('54'))).toBe(true);
  });

  it('answers 400 when the situation needs shipment data the case lacks', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const response = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: '赔付', situation: { kind: 'lost' } },
      claims: agent,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_error');
  });

  it('refuses both an amount and a situation (400)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: 'x', compensation: { amount: 1, currency: 'CNY' }, situation: { kind: 'delayed' } },
      claims: agent,
    });
    expect(response.status).toBe(400);
  });

  it('answers 403 to an agent proposing more than the approval limit', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const response = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: '赔偿', compensation: { amount: 600, currency: 'CNY' } },
      claims: agent,
    });
    expect(response.status).toBe(403);
  });
});

describe('POST /agent/cases/{caseId}/status', () => {
  it('pauses the resolution clock while waiting for the customer and resumes it', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const waiting = await callRoute(changeCaseStatus, route.status, {
      caseId,
      body: { status: 'awaiting_customer' },
      claims: agent,
    });
    expect(waiting.status).toBe(200);
    expect(waiting.body.status).toBe('awaiting_customer');
    expect((await deps.cases.getCase(caseId))?.clocks.resolution?.state).toBe('paused');
    shiftSystemClock(3600_000);
    const resumed = await callRoute(changeCaseStatus, route.status, {
      caseId,
      body: { status: 'in_progress' },
      claims: agent,
    });
    expect(resumed.body.status).toBe('in_progress');
    const resolution = (await deps.cases.getCase(caseId))!.clocks.resolution!;
    expect(resolution.state).toBe('running');
    expect(resolution.pausedMs).toBeGreaterThanOrEqual(3600_000);
  });

  it('answers 409 for an open case, and 400 for a status the route does not set', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const open = await callRoute(changeCaseStatus, route.status, {
      caseId,
      body: { status: 'awaiting_customer' },
      claims: agent,
    });
    expect(open.status).toBe(409);
    expect(open.body.error.details).toEqual([{ path: 'status', message: 'open' }]);
    const resolved = await callRoute(changeCaseStatus, route.status, {
      caseId,
      body: { status: 'resolved' },
      claims: agent,
    });
    expect(resolved.status).toBe(400);
  });
});

describe('POST /agent/cases/{caseId}/escalate', () => {
  it('moves the case up one level at a time and answers 409 above a manager', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const first = await callRoute(escalateCase, route.escalate, {
      caseId,
      body: { reason: '客户要求' },
      claims: agent,
    });
    expect(first.body).toMatchObject({ escalationLevel: 1, handler: null, owner: 'alice' });
    const second = await callRoute(escalateCase, route.escalate, {
      caseId,
      body: { reason: '重大' },
      claims: supervisor,
    });
    expect(second.body.escalationLevel).toBe(2);
    const third = await callRoute(escalateCase, route.escalate, {
      caseId,
      body: { reason: '再' },
      claims: manager,
    });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('conflict');
    expect((await timelineOf(caseId)).filter((entry) => entry.kind === 'escalated')).toHaveLength(2);
  });
});

describe('POST /agent/cases/{caseId}/resolve', () => {
  it('answers 403 to an agent granting 800 CNY, and resolves when a supervisor approves it', async () => {
    const { caseId, email } = await anOpenCaseViaApi(env);
    await take(caseId);
    const body = { resolution: '经核实，向您致歉并赔偿', compensation: { amount: 800, currency: 'CNY' } };
    const refused = await resolve(caseId, body, agent);
    expect(refused.status).toBe(403);
    expect((await deps.cases.getCase(caseId))?.status).toBe('in_progress');

    const approved = await resolve(caseId, body, supervisor);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'resolved',
      compensation: { amount: 800, currency: 'CNY', rule: 'agreed amount', approvedBy: 'sue' },
    });
    await deliverNotifications(env);
    expect((await emailsTo(env, email)).some((mail) => (mail.body.text ?? '').includes('800'))).toBe(true);
    // The survey waits in the outbox until an hour after the resolution (v2: intake, then the take).
    const survey = await deps.outbox.getNotification(caseId, `${caseId}.survey.v2.email`);
    expect(survey).toMatchObject({ kind: 'survey', status: 'pending' });
    expect(Date.parse(survey!.dispatchAt) - Date.parse(approved.body.updatedAt)).toBe(3600_000);
  });

  it('answers 409 for an open case: it must be taken first', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await resolve(caseId, { resolution: 'x' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('invalid_transition');
  });
});

describe('POST /agent/cases/{caseId}/close', () => {
  it('answers 409 for a case that is not resolved', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(closeCase, route.close, { caseId, claims: supervisor });
    expect(response.status).toBe(409);
    expect(response.body.error.details).toEqual([{ path: 'status', message: 'open' }]);
  });
});

describe('POST /agent/cases/{caseId}/category', () => {
  it('corrects an inferred category, routes again and marks the agent as the source', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(correctCategory, route.category, {
      caseId,
      body: { category: 'billing' },
      claims: otherAgent,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ category: 'billing', team: 'finance', priority: 'normal' });
    const stored = await deps.cases.getCaseWithTimeline(caseId);
    expect(stored?.supportCase.categorySource).toBe('agent');
    expect(stored?.timeline).toContainEqual(
      expect.objectContaining({ kind: 'category_corrected', actor: 'bob', internal: true }),
    );
  });

  it('rejects a category of another type (400)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(correctCategory, route.category, {
      caseId,
      body: { category: 'lost' },
      claims: agent,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('category');
  });
});

describe('optimistic locking', () => {
  it('applies two replies racing on one case, one after the other, without losing either', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const responses = await Promise.all([reply(caseId, '第一条'), reply(caseId, '第二条', otherAgent)]);
    expect(responses.map((response) => response.status)).toEqual([201, 201]);
    const replies = (await timelineOf(caseId)).filter((entry) => entry.kind === 'reply');
    expect(replies.map((entry) => entry.message).sort()).toEqual(['第一条', '第二条']);
  });
});
