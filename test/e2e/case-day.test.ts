// A whole day of one complaint over HTTP in the real sandbox (issue 3): submitted, taken and answered,
// waiting for the customer, resolved with a supervisor's approval, rated, appealed, resolved again, and
// counted in the report. Then the tokens the JWT check must refuse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aComplaint } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.stop();
});

const email = `day.${Date.now()}@example.com`;
const day: { caseId?: string; caseToken?: string; agent?: string; supervisor?: string } = {};

async function mailContaining(text: string, what: string) {
  return sandbox.waitFor(async () => {
    const mails = await sandbox.emailsTo(email);
    return mails.find((mail) => `${mail.subject}\n${mail.body.text ?? ''}`.includes(text)) ?? null;
  }, what);
}

const asAgent = (method: string, route: string, body?: unknown) =>
  sandbox.api(method, route, { token: day.agent, ...(body !== undefined ? { body } : {}) });
const asSupervisor = (method: string, route: string, body?: unknown) =>
  sandbox.api(method, route, { token: day.supervisor, ...(body !== undefined ? { body } : {}) });
const asCustomer = (route: string, body: unknown) =>
  sandbox.api('POST', route, { body, headers: { 'X-Case-Token': day.caseToken! } });

describe('a day in the life of a complaint', () => {
  it('1. a complaint is submitted and reaches the branch team’s queue', async () => {
    const submitted = await sandbox.api('POST', '/cases', { body: aComplaint({ customer: { email } }) });
    expect(submitted.status).toBe(201);
    day.caseId = submitted.body.caseId;
    day.caseToken = submitted.body.accessToken;
    await mailContaining(day.caseId!, 'the acknowledgement');
    const open = await sandbox.waitFor(async () => {
      const view = await sandbox.api('GET', `/cases/${day.caseId}`, {
        headers: { 'X-Case-Token': day.caseToken! },
      });
      return view.body.status === 'open' ? view : null;
    }, 'the case to be open');
    expect(open.body.category).toBe('service');
    day.agent = sandbox.token('agent', 'alice', 'alice@carrier.example');
    day.supervisor = sandbox.token('supervisor', 'sue', 'sue@carrier.example');
  });

  it('2. the agent takes it and replies; the customer gets the email', async () => {
    const listed = await asAgent('GET', '/agent/cases?team=branch');
    expect(listed.status).toBe(200);
    expect(listed.body.cases.map((row: { caseId: string }) => row.caseId)).toContain(day.caseId);

    const taken = await asAgent('POST', `/agent/cases/${day.caseId}/assign`, {});
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'in_progress', owner: 'alice', handler: 'alice' });

    const reply = await asAgent('POST', `/agent/cases/${day.caseId}/reply`, {
      message: '您好，我们已联系网点负责人，请提供派送时间。',
    });
    expect(reply.status).toBe(201);
    await mailContaining('请提供派送时间', 'the reply email');
  });

  it('3. the agent waits for the customer, and the customer writes back', async () => {
    const waiting = await asAgent('POST', `/agent/cases/${day.caseId}/status`, {
      status: 'awaiting_customer',
    });
    expect(waiting.body.status).toBe('awaiting_customer');
    const message = await asCustomer(`/cases/${day.caseId}/messages`, { message: '昨天下午三点左右。' });
    expect(message.status).toBe(201);
    expect(message.body.status).toBe('in_progress');
  });

  it('4. the agent may not grant 800 CNY (403); the supervisor resolves with it', async () => {
    const resolution = {
      resolution: '经核实情况属实，已对快递员批评教育，并向您赔偿。',
      compensation: { amount: 800, currency: 'CNY' },
    };
    const byAgent = await asAgent('POST', `/agent/cases/${day.caseId}/resolve`, resolution);
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('forbidden');
    const bySupervisor = await asSupervisor('POST', `/agent/cases/${day.caseId}/resolve`, resolution);
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body).toMatchObject({
      status: 'resolved',
      owner: 'alice',
      compensation: { amount: 800, currency: 'CNY', rule: 'agreed amount', approvedBy: 'sue' },
    });
  });

  it('5. the customer gets the resolution email, rates it 5 once, and appeals', async () => {
    await mailContaining('800', 'the resolution email');
    const feedback = await asCustomer(`/cases/${day.caseId}/feedback`, { score: 5, nps: 9 });
    expect(feedback.status).toBe(201);
    const again = await asCustomer(`/cases/${day.caseId}/feedback`, { score: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const appeal = await asCustomer(`/cases/${day.caseId}/appeal`, { reason: '希望网点当面道歉。' });
    expect(appeal.status).toBe(201);
    expect(appeal.body).toMatchObject({ status: 'appealed', deadlines: { appealDueAt: expect.any(String) } });
  });

  it('6. the supervisor resolves it again', async () => {
    const byAgent = await asAgent('POST', `/agent/cases/${day.caseId}/resolve`, { resolution: '维持' });
    expect(byAgent.status).toBe(403);
    const resolved = await asSupervisor('POST', `/agent/cases/${day.caseId}/resolve`, {
      resolution: '网点负责人将于明天上门道歉。',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', escalationLevel: 1 });
    const audit = await asSupervisor('GET', `/agent/cases/${day.caseId}`);
    expect(audit.body.timeline.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining([
        'created',
        'classified',
        'assigned',
        'reply',
        'status_changed',
        'customer_message',
        'resolved',
        'feedback',
        'appealed',
        'escalated',
        'notification_sent',
        'contact_viewed',
      ]),
    );
  });

  it('7. the report counts all of it', async () => {
    // The table stream's completer counts each change within about a second of it (the sandbox's window).
    const report = await sandbox.waitFor(async () => {
      const summary = await asSupervisor('GET', '/agent/reports/summary');
      const byStatus = summary.body?.counts?.byStatus;
      // The last change (the second resolution) counted too: the stream may count it in a later batch.
      const counted =
        byStatus?.appealed === 1 && byStatus.resolved === 2 && summary.body.csat?.responses === 1;
      return counted && summary;
    }, 'the day to be counted');
    expect(report.status).toBe(200);
    expect(report.body.counts).toMatchObject({
      byType: { complaint: 1 },
      byCategory: { complaint: { service: 1 } },
      byChannel: { web: 1 },
      created: 1,
      byStatus: { open: 1, in_progress: 2, awaiting_customer: 1, resolved: 2, appealed: 1 },
      byResult: { compensated: 2 },
    });
    expect(report.body.csat).toEqual({ responses: 1, average: 5, satisfiedPercent: 100 });
    expect(report.body.nps).toEqual({ responses: 1, score: 100 });
    expect(report.body.slaCompliance.firstResponse).toEqual({ met: 1, breached: 0, compliancePercent: 100 });
    expect(report.body.slaCompliance.appeal).toEqual({ met: 1, breached: 0, compliancePercent: 100 });
    expect(report.body.medians.firstResponse.samples).toBe(1);
    expect(report.body.medians.resolution.samples).toBe(1);
    expect((await asAgent('GET', '/agent/reports/summary')).status).toBe(403);
  });
});

describe('tokens the sandbox refuses, as the JWT authorizer would', () => {
  it('answers 401 without a token and for a tampered one', async () => {
    expect((await sandbox.api('GET', '/agent/cases')).status).toBe(401);
    const [header, payload, signature] = sandbox.token('agent', 'mallory').split('.') as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const promoted = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['manager'] })).toString(
      'base64url',
    );
    const tampered = await sandbox.api('GET', '/agent/cases', {
      token: `${header}.${promoted}.${signature}`,
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('unauthorized');
    expect(tampered.body.error.message).toMatch(/signature/);
  });

  it('answers 401 for a token signed by the sandbox key for another audience', async () => {
    const privateJwk = JSON.parse(
      readFileSync(path.join(sandbox.dataDir, 'jwt-signing-key.json'), 'utf8'),
    ) as JWK;
    const valid = sandbox.token('agent', 'alice');
    const { iss } = JSON.parse(Buffer.from(valid.split('.')[1]!, 'base64url').toString('utf8'));
    const now = Math.floor(Date.parse((await sandbox.api('GET', '/_sandbox/clock')).body.now) / 1000);
    const otherAudience = await new SignJWT({ 'cognito:groups': ['agent'], 'cognito:username': 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'sandbox' })
      .setSubject('alice')
      .setIssuer(iss)
      .setAudience('some-other-app')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(await importJWK(privateJwk, 'ES256'));
    expect((await sandbox.api('GET', '/agent/cases', { token: valid })).status).toBe(200);
    const refused = await sandbox.api('GET', '/agent/cases', { token: otherAudience });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/another audience \(some-other-app\)/);
  });

  it('answers 401 once a token has expired on the sandbox clock (+13 h)', async () => {
    const token = sandbox.token('agent', 'alice');
    expect((await sandbox.api('GET', '/agent/cases', { token })).status).toBe(200);
    const moved = await sandbox.api('POST', '/_sandbox/clock', { body: { advance: 'PT13H' } });
    expect(moved.status).toBe(200);
    const expired = await sandbox.api('GET', '/agent/cases', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).exp as number;
    expect(expired.body.error.message).toContain(`expired at ${new Date(exp * 1000).toISOString()}`);
    // Honest about AWS, where the authorizer's own 401 body cannot be shaped (README, What differs in AWS).
    const raw = await fetch(`${sandbox.url}/agent/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(raw.headers.get('x-sandbox-note')).toBe(
      'in AWS the authorizer answers 401 {"message":"Unauthorized"}',
    );
  });
});

describe('routes that do not exist, as the $default route answers them in AWS', () => {
  it('answers 404 not_found for an unknown path and 405 method_not_allowed for a wrong method', async () => {
    const unknown = await sandbox.api('GET', '/no/such/route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
    const response = await fetch(`${sandbox.url}/cases/CS202611230001AB`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });
});

// Customer tier and ownership by severity (issue 10's "done when"): a VIP customer's complaint is one priority
// level higher with the shorter clocks, an open case is re-prioritised when its customer's tier changes
// (through the slaWork queue the sandbox polls), and an urgent privacy case shows a manager level.
const tierHoursAfter = (iso: string, n: number) => new Date(Date.parse(iso) + n * 3600_000).toISOString();
const tierDelivery = {
  subject: '包裹送错了',
  description: '快递送到了别人家',
  category: 'delivery',
} as const;

// Tokens last 12 hours of the sandbox clock, which the tests above move: a fresh one per test.
const staffToken: { manager?: string } = {};
const tierAgentView = async (caseId: string) => {
  const response = await sandbox.api('GET', `/agent/cases/${caseId}`, { token: staffToken.manager });
  expect(response.status).toBe(200);
  return response.body;
};

const tierSubmit = async (body: unknown) => {
  const submitted = await sandbox.api('POST', '/cases', { body });
  expect(submitted.status).toBe(201);
  return submitted.body as { caseId: string; createdAt: string; deadlines: Record<string, string> };
};

const setTierAs = (body: unknown, token = staffToken.manager) =>
  sandbox.api('PUT', '/agent/customers/tier', { body, token });

describe('customer tier and ownership by severity (issue 10)', () => {
  beforeEach(() => {
    staffToken.manager = sandbox.token('manager', 'max');
  });

  it("gives a VIP customer's complaint one priority level higher and the shorter clocks", async () => {
    const standardEmail = `standard.${Date.now()}@example.com`;
    const vipEmail = `vip.${Date.now()}@example.com`;
    expect(
      (await setTierAs({ email: vipEmail, tier: 'vip' }, sandbox.token('supervisor', 'sam'))).status,
    ).toBe(403);
    expect((await setTierAs({ email: vipEmail, tier: 'vip' })).body).toEqual({ tier: 'vip', casesQueued: 0 });

    // A rude-courier complaint is high for a standard customer: first response 2 h, plan 24 h.
    const standard = await tierSubmit(aComplaint({ customer: { email: standardEmail } }));
    const vip = await tierSubmit(aComplaint({ customer: { email: vipEmail } }));
    expect(standard.deadlines.firstResponseDueAt).toBe(tierHoursAfter(standard.createdAt, 2));
    expect(vip.deadlines.firstResponseDueAt).toBe(tierHoursAfter(vip.createdAt, 1));
    expect(vip.deadlines.planDueAt).toBe(tierHoursAfter(vip.createdAt, 12));

    const view = await sandbox.waitFor(async () => {
      const seen = await tierAgentView(vip.caseId);
      return seen.status === 'open' ? seen : null;
    }, 'intake of the VIP case');
    expect(view).toMatchObject({ priority: 'urgent', tier: 'vip', escalationLevel: 2 });
    expect((await tierAgentView(standard.caseId)).priority).toBe('high');
  });

  it('re-prioritises an open case when its customer becomes enterprise', async () => {
    const email = `soon-enterprise.${Date.now()}@example.com`;
    const open = await tierSubmit(aComplaint({ ...tierDelivery, customer: { email } }));
    await sandbox.waitFor(async () => (await tierAgentView(open.caseId)).status === 'open', 'intake');
    expect((await tierAgentView(open.caseId)).priority).toBe('normal');

    expect((await setTierAs({ email, tier: 'enterprise' })).body).toEqual({
      tier: 'enterprise',
      casesQueued: 1,
    });
    const view = await sandbox.waitFor(async () => {
      const seen = await tierAgentView(open.caseId);
      return seen.tier === 'enterprise' ? seen : null;
    }, 'the re-prioritisation');
    expect(view.priority).toBe('high');
    expect(view.timeline.some((entry: { kind: string }) => entry.kind === 'tier_changed')).toBe(true);
  });

  it('shows an urgent privacy complaint at the manager level', async () => {
    const email = `privacy.${Date.now()}@example.com`;
    const privacy = await tierSubmit(
      aComplaint({
        subject: '个人信息泄露',
        description: '快递员把我的电话泄露给了别人',
        customer: { email },
      }),
    );
    const view = await sandbox.waitFor(async () => {
      const seen = await tierAgentView(privacy.caseId);
      return seen.status === 'open' ? seen : null;
    }, 'intake of the privacy case');
    expect(view).toMatchObject({
      category: 'privacy',
      priority: 'urgent',
      team: 'security',
      escalationLevel: 2,
    });
  });
});
