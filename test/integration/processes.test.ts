// The process routes (README "Processes") through API Gateway's event shape, against DynamoDB Local, SQS and
// SES emulators; every test names the seed section it checks.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { actualDaysLate } from '#domain/delay-days';
import { handler as appealCase } from '#functions/http/appeal-case';
import { handler as appealRedo } from '#functions/http/appeal-redo';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as caseCause } from '#functions/http/case-cause';
import { handler as caseProblem } from '#functions/http/case-problem';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as parcelReturn } from '#functions/http/parcel-return';
import { handler as recordPlan } from '#functions/http/record-plan';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as resolveCase } from '#functions/http/resolve-case';
import { handler as slaWorkConsumer } from '#functions/queue/sla-work-consumer';
import { handler as slaSweep } from '#functions/schedule/sla-sweep';
import { policyInForce } from '#use-cases/policy-in-force';
import type { Dependencies } from '#use-cases/ports';
import { scheduledEvent } from '../../infra/sandbox/lambda-runtime.ts';
import {
  agent,
  anOpenCaseViaApi,
  auditor,
  callRoute,
  deliverNotifications,
  otherAgent,
  type SubmittedCase,
  supervisor,
} from '../support/case-routes.ts';
import {
  createIntegrationEnvironment,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  lambdaContext,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  // A carrier that pays per day late on top of the waived freight (002 §3.1).
  process.env.CARRIER_COMPENSATION_POLICIES = JSON.stringify({
    default: { delayPerDay: { amount: 5, currency: 'CNY' } },
  });
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});
afterEach(() => resetSystemClock());

const route = {
  assign: 'POST /agent/cases/{caseId}/assign',
  reply: 'POST /agent/cases/{caseId}/reply',
  plan: 'POST /agent/cases/{caseId}/plan',
  resolve: 'POST /agent/cases/{caseId}/resolve',
  get: 'GET /agent/cases/{caseId}',
  parcelReturn: 'POST /agent/cases/{caseId}/return',
  problem: 'POST /agent/cases/{caseId}/problem',
  cause: 'POST /agent/cases/{caseId}/cause',
  appealRedo: 'POST /agent/cases/{caseId}/appeal-redo',
  customerView: 'GET /cases/{caseId}',
  appeal: 'POST /cases/{caseId}/appeal',
} as const;

const hourMs = 3600_000;
const take = (caseId: string, claims = agent) =>
  callRoute(assignCase, route.assign, { caseId, body: {}, claims });
const view = async (caseId: string) =>
  (await callRoute(getAgentCase, route.get, { caseId, claims: agent })).body;
const customerView = async ({ caseId, accessToken }: SubmittedCase) =>
  (await callRoute(getCustomerCase, route.customerView, { caseId, headers: { 'X-Case-Token': accessToken } }))
    .body;
const sweepAndWork = async () => {
  await slaSweep(scheduledEvent('sla-sweep', deps.clock.now()), lambdaContext());
  await drainQueue(env, 'slaWork', slaWorkConsumer);
};

describe('POST /agent/cases/{caseId}/return (002 §3.4)', () => {
  it('starts a return clock the sweep breaches, and meets it when the agent records it done (002 §3.4)', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const { caseId } = submitted;
    await take(caseId);
    const started = await callRoute(parcelReturn, route.parcelReturn, {
      caseId,
      body: { step: 'start', kind: 'system_return' },
      claims: agent,
    });
    expect(started.status).toBe(200);
    const running = await view(caseId);
    expect(running.parcelReturnKind).toBe('system_return');
    expect(running.clocks.parcelReturn).toMatchObject({ state: 'running', metAt: null });
    expect((await customerView(submitted)).timeline.map((entry: { kind: string }) => entry.kind)).toContain(
      'parcel_return',
    );

    // One working day (系统自动退回) is at most four calendar days, even over a holiday weekend.
    shiftSystemClock(4 * 24 * hourMs);
    await sweepAndWork();
    const late = await view(caseId);
    expect(late.clocks.parcelReturn.state).toBe('breached');
    expect(
      late.timeline.filter(
        (entry: { kind: string; data?: { clock?: string } }) =>
          entry.kind === 'breached' && entry.data?.clock === 'parcelReturn',
      ),
    ).toHaveLength(1);

    const done = await callRoute(parcelReturn, route.parcelReturn, {
      caseId,
      body: { step: 'done', note: 'Back at the sender' },
      claims: agent,
    });
    expect(done.status).toBe(200);
    const answered = await view(caseId);
    // Answered, the process clock is no longer stored; the timeline says how it ended.
    expect(answered.clocks.parcelReturn).toBeUndefined();
    expect(
      answered.timeline.find((entry: { kind: string }) => entry.kind === 'parcel_return_done'),
    ).toMatchObject({
      data: { state: 'breached', note: 'Back at the sender' },
    });
  });

  it('answers 400 for an unknown kind, 409 for "done" with none under way, 403 for an auditor (002 §3.4)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const unknown = await callRoute(parcelReturn, route.parcelReturn, {
      caseId,
      body: { step: 'start', kind: 'teleport' },
      claims: agent,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_error');
    const none = await callRoute(parcelReturn, route.parcelReturn, {
      caseId,
      body: { step: 'done' },
      claims: agent,
    });
    expect(none.status).toBe(409);
    const audited = await callRoute(parcelReturn, route.parcelReturn, {
      caseId,
      body: { step: 'start', kind: 'customer_return' },
      claims: auditor,
    });
    expect(audited.status).toBe(403);
  });
});

describe('transfers with a deadline (转办时限, 003 §5.2(4))', () => {
  it('starts a transfer clock on a hand-over to another team, met when that team replies (003 §5.2(4))', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    await take(caseId);
    const moved = await callRoute(assignCase, route.assign, {
      caseId,
      body: { team: 'finance' },
      claims: agent,
    });
    expect(moved.status).toBe(200);
    expect((await view(caseId)).clocks.transfer).toMatchObject({ state: 'running' });
    await take(caseId, otherAgent);
    const stored = await deps.cases.getCase(caseId);
    expect(stored?.clocks.transfer).toBeUndefined();
    const reply = await callRoute(replyToCase, route.reply, {
      caseId,
      body: { message: '财务已受理' },
      claims: otherAgent,
    });
    expect(reply.status).toBe(201);
  });
});

describe('POST /agent/cases/{caseId}/problem (004 §2.4)', () => {
  it('gives a technical problem a 72-hour resolution target from the case start (004 §2.4)', async () => {
    const { caseId } = await anOpenCaseViaApi(env);
    const response = await callRoute(caseProblem, route.problem, {
      caseId,
      body: { problem: 'technical' },
      claims: agent,
    });
    expect(response.status).toBe(200);
    const after = await view(caseId);
    expect(after.problem).toBe('technical');
    const { startedAt, dueAt } = after.clocks.resolution;
    expect(Date.parse(dueAt) - Date.parse(startedAt)).toBe(72 * hourMs);
    expect(response.body.deadlines.resolutionDueAt).toBe(dueAt);
    const invalid = await callRoute(caseProblem, route.problem, {
      caseId,
      body: { problem: 'magic' },
      claims: agent,
    });
    expect(invalid.status).toBe(400);
  });
});

describe('force majeure, remedies and per-day delay compensation (002 §3.1, §3.3, 003 §4.3.3)', () => {
  const delayedShipment = () => ({
    service: 'standard' as const,
    route: 'inter_province' as const,
    shippedAt: new Date(deps.clock.now().getTime() - 14 * 24 * hourMs).toISOString(),
    freight: { amount: 18, currency: 'CNY' },
  });
  const aDelayClaim = () =>
    anOpenCaseViaApi(env, {
      type: 'claim',
      category: 'delayed',
      subject: '快递延误',
      description: '包裹迟迟未到',
      claim: { amount: 50, currency: 'CNY' },
      shipment: delayedShipment(),
    });

  it('prices a delay per actual day late under the carrier policy (002 §3.1 按实际延误天数按日计费)', async () => {
    const { caseId } = await aDelayClaim();
    await take(caseId);
    const response = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: '按延误天数赔付', situation: { kind: 'delayed' } },
      claims: agent,
    });
    expect(response.status).toBe(201);
    const stored = await deps.cases.getCase(caseId);
    const days = actualDaysLate(
      stored?.shipment ?? {},
      deps.clock.now(),
      (await policyInForce(deps)).sla.calendar,
    );
    expect(days).toBeGreaterThan(0);
    expect(response.body.compensation).toMatchObject({
      amount: 18 + 5 * (days ?? 0),
      rule: `delayed: freight waived + 5 CNY × ${days} days`,
    });
  });

  it('records force majeure, pays nothing for the delay, and tells the customer with the re-ship (002 §3.1, 003 §4.3.3)', async () => {
    const submitted = await aDelayClaim();
    const { caseId, email } = submitted;
    await take(caseId);
    const cause = await callRoute(caseCause, route.cause, {
      caseId,
      body: { forceMajeure: true, reason: '台风导致转运中心停运' },
      claims: agent,
    });
    expect(cause.status).toBe(200);
    const plan = await callRoute(recordPlan, route.plan, {
      caseId,
      body: { message: '台风过后为您补发', situation: { kind: 'delayed' }, remedy: 'reship' },
      claims: agent,
    });
    expect(plan.status).toBe(201);
    expect(plan.body.compensation).toMatchObject({
      amount: 0,
      rule: 'delayed by force majeure: no compensation',
    });
    expect(await view(caseId)).toMatchObject({ forceMajeure: true, remedy: 'reship' });
    const forCustomer = await customerView(submitted);
    expect(forCustomer).toMatchObject({ forceMajeure: true, remedy: 'reship' });
    expect(
      forCustomer.timeline.some((entry: { message: string }) => entry.message.includes('不可抗力')),
    ).toBe(true);
    await deliverNotifications(env);
    const mails = await emailsTo(env, email);
    const planMail = mails.find((mail) => (mail.body.text ?? '').includes('台风过后为您补发'));
    expect(planMail?.body.text).toContain('免费补发');
    expect(planMail?.body.text).toContain('不可抗力');
  });
});

describe('POST /agent/cases/{caseId}/appeal-redo (邮政业消费者申诉处理办法: 5 days)', () => {
  it('sends an answered appeal back with a 5-day redo clock; agents may not (403), unanswered appeals cannot (409)', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const { caseId, accessToken } = submitted;
    await take(caseId);
    await callRoute(resolveCase, route.resolve, { caseId, body: { resolution: '已致歉' }, claims: agent });
    const appealed = await callRoute(appealCase, route.appeal, {
      caseId,
      body: { reason: '不满意' },
      headers: { 'X-Case-Token': accessToken },
    });
    expect(appealed.status).toBe(201);
    const early = await callRoute(appealRedo, route.appealRedo, {
      caseId,
      body: { reason: 'x' },
      claims: supervisor,
    });
    expect(early.status).toBe(409);
    await take(caseId, supervisor);
    await callRoute(resolveCase, route.resolve, {
      caseId,
      body: { resolution: '维持原处理' },
      claims: supervisor,
    });

    const byAgent = await callRoute(appealRedo, route.appealRedo, {
      caseId,
      body: { reason: 'x' },
      claims: agent,
    });
    expect(byAgent.status).toBe(403);
    const redo = await callRoute(appealRedo, route.appealRedo, {
      caseId,
      body: { reason: '答复未回应申诉要点' },
      claims: supervisor,
    });
    expect(redo.status).toBe(200);
    expect(redo.body.status).toBe('appealed');
    const { clocks } = await view(caseId);
    expect(clocks.appealRedo.state).toBe('running');
    expect(Date.parse(clocks.appealRedo.dueAt) - Date.parse(clocks.appealRedo.startedAt)).toBe(
      5 * 24 * hourMs,
    );

    await take(caseId, supervisor);
    const answered = await callRoute(resolveCase, route.resolve, {
      caseId,
      body: { resolution: '重新处理：补偿 20 元', compensation: { amount: 20, currency: 'CNY' } },
      claims: supervisor,
    });
    expect(answered.status).toBe(200);
    expect((await view(caseId)).clocks.appealRedo).toBeUndefined();
  });
});
