// The personal-data lifecycle against DynamoDB Local: the retention job closes, anonymises and deletes
// (bounded, resumable, idempotent), erasure anonymises every case of a customer at once, and the export
// holds everything they submitted.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, shiftSystemClock, systemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { handler as addCustomerMessage } from '#functions/http/add-customer-message';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as eraseCustomerData } from '#functions/http/erase-customer-data';
import { handler as exportCustomerData } from '#functions/http/export-customer-data';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as giveFeedback } from '#functions/http/give-feedback';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as resolveCase } from '#functions/http/resolve-case';
import { handler as retentionJob } from '#functions/schedule/retention';
import type { Dependencies } from '#use-cases/ports';
import { runRetention } from '#use-cases/run-retention';
import { scheduledEvent } from '../../infra/sandbox/lambda-runtime.ts';
import {
  agent,
  anOpenCaseViaApi,
  callRoute,
  deliverNotifications,
  type SubmittedCase,
  supervisor,
} from '../support/case-routes.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import {
  createIntegrationEnvironment,
  emailsTo,
  type IntegrationEnvironment,
  lambdaContext,
  uniqueEmail,
  uniqueMobile,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});
afterEach(() => resetSystemClock());

const day = 86_400_000;
const name = '王小明';

async function aCustomerCase(
  email = uniqueEmail(),
  phone = uniqueMobile(),
): Promise<SubmittedCase & { phone: string }> {
  const submitted = await anOpenCaseViaApi(env, {
    description: `包裹破损。请打 ${phone.slice(3, 6)}-${phone.slice(6, 10)}-${phone.slice(10)} 或发邮件到 ${email}`,
    customer: { name, email, phone },
  });
  return { ...submitted, phone };
}

async function resolved(submitted: SubmittedCase): Promise<void> {
  expect(
    (
      await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', {
        caseId: submitted.caseId,
        body: {},
        claims: agent,
      })
    ).status,
  ).toBe(200);
  const reply = await callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
    caseId: submitted.caseId,
    body: { message: `${name}您好，我们会致电 ${submitted.email} 所留电话` },
    claims: agent,
  });
  expect(reply.status).toBe(201);
  const done = await callRoute(resolveCase, 'POST /agent/cases/{caseId}/resolve', {
    caseId: submitted.caseId,
    body: { resolution: '已赔偿' },
    claims: agent,
  });
  expect(done.status).toBe(200);
}

const agentView = async (caseId: string) => {
  const response = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', { caseId, claims: supervisor });
  expect(response.status).toBe(200);
  return response.body;
};
/** A day's summary once the table stream's completer has counted every change so far. */
const summaryOf = async (day: string) => {
  await drainCaseStream(env);
  const response = await callRoute(reportSummary, 'GET /agent/reports/summary', {
    query: { from: day, to: day },
    claims: supervisor,
  });
  return response.body;
};
const withToken = (submitted: SubmittedCase) => ({
  caseId: submitted.caseId,
  headers: { 'X-Case-Token': submitted.accessToken },
});
const erase = (submitted: SubmittedCase, body: unknown = { confirm: true }) =>
  callRoute(eraseCustomerData, 'POST /cases/{caseId}/erasure', { ...withToken(submitted), body });
const runJob = () => retentionJob(scheduledEvent('retention', systemClock.now()), lambdaContext());
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/** No trace of the customer in anything staff can read of the case. */
function expectNoPersonalData(view: unknown, customer: { email: string; phone: string }) {
  const serialised = JSON.stringify(view);
  expect(serialised).not.toContain(name);
  expect(serialised).not.toContain(customer.email);
  expect(serialised).not.toContain(customer.phone.slice(3));
  // The masked form (138****8000) keeps no more than DOMAIN.md §9's mask shows.
  expect(serialised).not.toContain(customer.phone.slice(5, 11));
}

describe('the retention job', () => {
  it('closes resolved cases left quiet for 7 days, a bounded run at a time, and a second run changes nothing', async () => {
    const cases = [await aCustomerCase(), await aCustomerCase(), await aCustomerCase()];
    for (const submitted of cases) await resolved(submitted);
    shiftSystemClock(7 * day - 60_000);
    expect((await runRetention(deps)).closed).toBe(0);

    shiftSystemClock(2 * 60_000);
    const first = await runRetention(deps, { timeMs: 0, pages: 1 });
    expect(first).toMatchObject({ closed: 1, complete: false });
    expect(first.remaining).toBeGreaterThanOrEqual(2);
    const rest = await runJob();
    expect(rest).toMatchObject({ closed: 2, complete: true, failed: 0 });

    const versions = await Promise.all(
      cases.map(async ({ caseId }) => (await deps.cases.getCase(caseId))!.version),
    );
    expect(await runJob()).toMatchObject({ closed: 0, anonymised: 0, deleted: 0, failed: 0, complete: true });
    for (const [index, { caseId }] of cases.entries()) {
      const stored = await deps.cases.getCase(caseId);
      expect(stored).toMatchObject({ status: 'closed', version: versions[index] });
      const closing = (await agentView(caseId)).timeline.filter(
        (entry: { kind: string }) => entry.kind === 'closed',
      );
      expect(closing).toEqual([expect.objectContaining({ actor: 'system' })]);
    }
  });

  it('anonymises a year after close without changing the report, then deletes every item five years after', async () => {
    const customer = await aCustomerCase();
    await resolved(customer);
    await callRoute(giveFeedback, 'POST /cases/{caseId}/feedback', {
      ...withToken(customer),
      body: { score: 5, comment: `call ${customer.phone}` },
    });
    const stored = (await deps.cases.getCase(customer.caseId))!;
    const resolvedDay = beijingDay(stored.resolvedAt!);
    shiftSystemClock(7 * day + 60_000);
    expect((await runJob()).closed).toBeGreaterThanOrEqual(1);
    const before = await summaryOf(resolvedDay);

    shiftSystemClock(366 * day);
    expect((await runJob()).anonymised).toBeGreaterThanOrEqual(1);
    const view = await agentView(customer.caseId);
    expectNoPersonalData(view, customer);
    expect(view).toMatchObject({ caseId: customer.caseId, status: 'closed', category: stored.category });
    expect(view.timeline.map((entry: { kind: string }) => entry.kind)).toContain('anonymised');
    expect(await summaryOf(resolvedDay)).toEqual(before);
    const record = await deps.retention.loadCaseRecord(customer.caseId);
    expectNoPersonalData(record, customer);
    expect(record!.supportCase.feedback).toMatchObject({ score: 5 });
    expect(await deps.contacts.findCasesByContact(stored.contactHashes, '')).toEqual([]);
    const customerRead = await callRoute(getCustomerCase, 'GET /cases/{caseId}', withToken(customer));
    expect(customerRead.status).toBe(404);
    expect(await runJob()).toMatchObject({ anonymised: 0, deleted: 0 });

    shiftSystemClock(4 * 366 * day);
    expect((await runJob()).deleted).toBeGreaterThanOrEqual(1);
    expect(await deps.retention.loadCaseRecord(customer.caseId)).toBeNull();
    expect(await deps.cases.getCaseWithTimeline(customer.caseId)).toBeNull();
    expect(await summaryOf(resolvedDay)).toEqual(before);
  });
});

describe('POST /cases/{caseId}/erasure', () => {
  it('refuses without { "confirm": true }', async () => {
    const customer = await aCustomerCase();
    expect((await erase(customer, {})).status).toBe(400);
    expect((await erase(customer, { confirm: false })).status).toBe(400);
    expect((await erase({ ...customer, accessToken: 'wrong' })).status).toBe(404);
    expect((await deps.cases.getCase(customer.caseId))?.anonymisedAt).toBeUndefined();
  });

  it('anonymises every case of the customer at once, withdraws the open one and confirms before the address goes', async () => {
    const email = uniqueEmail('erase');
    const phone = uniqueMobile();
    const older = await aCustomerCase(email, phone);
    await resolved(older);
    const open = await aCustomerCase(email, phone);
    const stranger = await aCustomerCase();
    const resolvedDay = beijingDay((await deps.cases.getCase(older.caseId))!.resolvedAt!);
    const before = await summaryOf(resolvedDay);

    const response = await erase(open);
    expect(response).toMatchObject({ status: 202, body: { erasedCases: 2 } });
    await deliverNotifications(env);

    for (const caseId of [older.caseId, open.caseId]) {
      const view = await agentView(caseId);
      expectNoPersonalData(view, { email, phone });
      expect(view.timeline.map((entry: { kind: string }) => entry.kind)).toContain('anonymised');
    }
    expect((await deps.cases.getCase(open.caseId))?.status).toBe('resolved');
    const withdrawal = (await agentView(open.caseId)).timeline.find(
      (entry: { kind: string; data?: { reason?: string } }) => entry.data?.reason === 'withdrawn_by_customer',
    );
    expect(withdrawal).toMatchObject({ kind: 'resolved', actor: 'customer' });
    if (beijingDay(systemClock.now().toISOString()) !== resolvedDay) {
      expect(await summaryOf(resolvedDay)).toEqual(before);
    } else {
      // The same day: only the withdrawal of the open case is new in the counters.
      const after = await summaryOf(resolvedDay);
      expect(after.csat).toEqual(before.csat);
    }

    const mails = await emailsTo(env, email);
    const confirmation = mails.filter((mail) => mail.subject.includes('个人信息已删除'));
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.subject).toContain(open.caseId);
    const record = await deps.retention.loadCaseRecord(open.caseId);
    expectNoPersonalData(record, { email, phone });
    expect(record!.notifications.every((stored) => stored.recipient === undefined)).toBe(true);

    expect((await callRoute(getCustomerCase, 'GET /cases/{caseId}', withToken(open))).status).toBe(404);
    expect((await erase(open)).status).toBe(404);
    expect((await deps.cases.getCase(stranger.caseId))?.customer.email).toBe(stranger.email);
  });

  it('leaves the report summary of the day as it was when every case was already resolved', async () => {
    const customer = await aCustomerCase();
    await resolved(customer);
    const today = beijingDay(systemClock.now().toISOString());
    const before = await summaryOf(today);
    expect((await erase(customer)).status).toBe(202);
    expect(await summaryOf(today)).toEqual(before);
    expectNoPersonalData(await agentView(customer.caseId), customer);
  });
});

describe('GET /cases/{caseId}/export', () => {
  it('returns everything held about the customer, all their cases, and puts each read on the audit trail', async () => {
    const email = uniqueEmail('export');
    const phone = uniqueMobile();
    const first = await aCustomerCase(email, phone);
    const second = await aCustomerCase(email, phone);
    await callRoute(addCustomerMessage, 'POST /cases/{caseId}/messages', {
      ...withToken(second),
      body: { message: '补充：包裹外箱有水渍' },
    });
    const other = await aCustomerCase();

    const response = await callRoute(exportCustomerData, 'GET /cases/{caseId}/export', withToken(second));
    expect(response.status).toBe(200);
    expect(response.body.customer).toMatchObject({ name, email, phone });
    const exported = response.body.cases as Array<{
      caseId: string;
      description: string;
      timeline: { message: string }[];
    }>;
    expect(exported.map((entry) => entry.caseId).sort()).toEqual([first.caseId, second.caseId].sort());
    const secondCase = exported.find((entry) => entry.caseId === second.caseId)!;
    expect(secondCase.description).toContain('包裹破损');
    expect(secondCase.timeline.map((entry) => entry.message)).toContain('补充：包裹外箱有水渍');
    expect(JSON.stringify(response.body)).not.toContain(other.caseId);
    for (const caseId of [first.caseId, second.caseId]) {
      const audit = (await agentView(caseId)).timeline.filter(
        (entry: { kind: string }) => entry.kind === 'data_exported',
      );
      expect(audit).toHaveLength(1);
    }
    expect(
      (
        await callRoute(exportCustomerData, 'GET /cases/{caseId}/export', {
          ...withToken(second),
          headers: { 'X-Case-Token': 'nope' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('copies of personal data in the outbox', () => {
  it("stores no name in notifications, and drops the recipient and payload once sent, keeping the rest as the case's record", async () => {
    const customer = await aCustomerCase();
    await deliverNotifications(env);
    const record = await deps.retention.loadCaseRecord(customer.caseId);
    const sent = record!.notifications.filter((stored) => stored.status === 'sent');
    expect(sent.length).toBeGreaterThan(0);
    for (const stored of record!.notifications) expect(JSON.stringify(stored)).not.toContain(name);
    for (const stored of sent) {
      expect(stored.recipient).toBeUndefined();
      expect(stored.data).toBeUndefined();
      // No expiry: what is left is the outcome's timeline entry, kept as long as the case (and anonymised
      // and deleted with it), so the case's timeline still says when the customer was told.
      expect(stored).not.toHaveProperty('expiresAt');
      expect(Object.keys(stored).some((name) => name.startsWith('timeline:'))).toBe(true);
    }
  });
});
