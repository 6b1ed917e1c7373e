import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { beijingDate } from '#domain/beijing-time';
import { acceptReceivedCase } from '#domain/case/intake';
import { meetClock } from '#domain/sla-clock';
import type { SupportCase, TimelineEntry, TimelineKind } from '#domain/support-case';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { handler as slaWorkConsumer } from '#functions/queue/sla-work-consumer';
import { handler as slaSweep } from '#functions/schedule/sla-sweep';
import { policyInForce } from '#use-cases/policy-in-force';
import type { Dependencies } from '#use-cases/ports';
import type { SweepReport } from '#use-cases/sweep-deadlines';
import { scheduledEvent, toSqsRecords } from '../../infra/sandbox/lambda-runtime.ts';
import { agent, callRoute } from '../support/case-routes.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import { aComplaint } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  deliverBatch,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  lambdaContext,
  uniqueEmail,
} from '../support/integration-environment.ts';
import { anOpenCase, aReceivedCase, awaitingCustomer } from '../support/support-cases.ts';

const supervisorLead = uniqueEmail('lead.branch');
const managerLead = uniqueEmail('head.branch');

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  process.env.TEAM_LEADS = JSON.stringify({ branch: { supervisor: supervisorLead, manager: managerLead } });
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});

afterEach(() => {
  resetSystemClock();
  vi.restoreAllMocks();
});

const minutes = (n: number) => n * 60_000;
const ago = (ms: number) => new Date(deps.clock.now().getTime() - ms);

const sweep = async (): Promise<SweepReport> =>
  slaSweep(scheduledEvent('sla-sweep', deps.clock.now()), lambdaContext());

/** One SQS record for the SLA consumer, as a redelivery or a second event source poll would bring it. */
const slaWorkFor = (caseId: string) =>
  slaWorkConsumer(
    {
      Records: toSqsRecords(
        [{ MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body: JSON.stringify({ caseId }) }],
        'arn:aws:sqs:us-east-1:000000000000:slaWork',
      ),
    },
    lambdaContext(),
  );

async function deliverSlaWorkAndNotifications() {
  await drainQueue(env, 'slaWork', slaWorkConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
}

async function storeOpenCase(supportCase: SupportCase): Promise<SupportCase> {
  await deps.cases.createCase(supportCase, []);
  return supportCase;
}

async function timelineOf(caseId: string) {
  const stored = await deps.cases.getCaseWithTimeline(caseId);
  if (!stored) throw new Error(`No case ${caseId}`);
  return stored;
}

const kindsOf = (timeline: TimelineEntry[], kind: TimelineKind) =>
  timeline.filter((entry) => entry.kind === kind);

/** Today's first-response breaches in the report counters. */
const reportedBreaches = async () => {
  await drainCaseStream(env);
  const [today] = await deps.reports.getReportCounters([beijingDate(deps.clock.now())]);
  return today?.counters['sla.firstResponse.breached'] ?? 0;
};

const mailAbout = async (address: string, caseId: string) =>
  (await emailsTo(env, address)).filter((email) => `${email.subject} ${email.body.text}`.includes(caseId));

describe('the SLA sweep', () => {
  it('breaches an unanswered complaint once, however often the sweep runs and SQS redelivers', async () => {
    const submitted = await callApi(submitCase, {
      method: 'POST',
      routeKey: 'POST /cases',
      path: '/cases',
      body: aComplaint({ customer: { email: uniqueEmail() } }),
    });
    const { caseId } = submitted.body as { caseId: string };
    await drainQueue(env, 'intake', intakeConsumer);
    const breachCounts = vi.spyOn(deps.metrics, 'count');

    shiftSystemClock(minutes(130));
    for (let run = 0; run < 2; run += 1) {
      expect((await sweep()).dueCases).toBeGreaterThanOrEqual(run === 0 ? 1 : 0);
      // Every message handed to the consumer twice, as at-least-once delivery may.
      while (await deliverBatch(env, 'slaWork', slaWorkConsumer, { duplicate: true }));
      await drainQueue(env, 'notifications', notificationConsumer);
    }

    const { supportCase, timeline } = await timelineOf(caseId);
    expect(supportCase.clocks.firstResponse).toMatchObject({
      state: 'breached',
      breachedAt: submitted.body.deadlines.firstResponseDueAt,
    });
    expect(supportCase.escalationLevel).toBe(1);
    expect(kindsOf(timeline, 'breached')).toHaveLength(1);
    expect(kindsOf(timeline, 'escalated')).toHaveLength(1);
    expect(await mailAbout(supervisorLead, caseId)).toHaveLength(1);
    expect(breachCounts.mock.calls.filter(([name]) => name === 'SlaBreached')).toEqual([
      ['SlaBreached', { clock: 'firstResponse', team: 'branch' }],
    ]);
  });

  it('counts SlaBreached once when an agent answers after the due time, before the sweep comes round', async () => {
    const { caseId } = await storeOpenCase(anOpenCase({ receivedAt: ago(minutes(121)) }));
    const breachCounts = vi.spyOn(deps.metrics, 'count');
    const reply = await callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
      caseId,
      body: { message: '抱歉回复晚了，我们已联系网点核实。' },
      claims: agent,
    });
    expect(reply.status).toBe(201);
    expect((await timelineOf(caseId)).supportCase.clocks.firstResponse).toMatchObject({ state: 'breached' });
    await sweep();
    await drainQueue(env, 'slaWork', slaWorkConsumer);
    expect(breachCounts.mock.calls.filter(([name]) => name === 'SlaBreached')).toEqual([
      ['SlaBreached', { clock: 'firstResponse', team: 'branch' }],
    ]);
  });

  it('breaches once when two sweeps and several consumers work on the same case at once', async () => {
    const { caseId } = await storeOpenCase(anOpenCase({ receivedAt: ago(minutes(125)) }));
    const breachCounts = vi.spyOn(deps.metrics, 'count');
    const reportedBefore = await reportedBreaches();

    const reports = await Promise.all([sweep(), sweep()]);
    expect(reports.every((report) => report.dueCases >= 1)).toBe(true);
    const queued = await Promise.all([
      drainQueue(env, 'slaWork', slaWorkConsumer),
      slaWorkFor(caseId),
      slaWorkFor(caseId),
      slaWorkFor(caseId),
    ]);
    expect(queued[0]).toBeGreaterThanOrEqual(2);
    for (const response of queued.slice(1)) expect(response).toEqual({ batchItemFailures: [] });
    await drainQueue(env, 'notifications', notificationConsumer);

    const { supportCase, timeline } = await timelineOf(caseId);
    expect(supportCase.escalationLevel).toBe(1);
    expect(kindsOf(timeline, 'breached')).toHaveLength(1);
    expect(kindsOf(timeline, 'escalated')).toHaveLength(1);
    expect(await mailAbout(supervisorLead, caseId)).toHaveLength(1);
    expect(kindsOf(timeline, 'notification_sent')).toHaveLength(1);
    // Earlier tests' cases have nothing due now, so every count here is this case's.
    expect(breachCounts.mock.calls.filter(([name]) => name === 'SlaBreached')).toEqual([
      ['SlaBreached', { clock: 'firstResponse', team: 'branch' }],
    ]);
    expect((await reportedBreaches()) - reportedBefore).toBe(1);
  });

  it('escalates a second breach from supervisor to manager and tells the manager', async () => {
    // First response (2 h) and plan (24 h) have both run out.
    const { caseId } = await storeOpenCase(anOpenCase({ receivedAt: ago(minutes(24 * 60 + 5)) }));
    await sweep();
    await deliverSlaWorkAndNotifications();

    const { supportCase, timeline } = await timelineOf(caseId);
    expect(supportCase.escalationLevel).toBe(2);
    expect(kindsOf(timeline, 'breached').map((entry) => entry.data?.clock)).toEqual([
      'firstResponse',
      'plan',
    ]);
    expect(await mailAbout(managerLead, caseId)).toHaveLength(1);
  });

  it('does not breach the resolution clock of a case waiting for the customer over 72 hours', async () => {
    // A damaged parcel: 48 hours to resolve. Answered after 30 minutes, then waiting for the customer.
    const received = anOpenCase({
      receivedAt: ago(minutes(80 * 60)),
      submission: {
        type: 'exception',
        category: 'damaged',
        subject: '包裹破损',
        description: '收到的包裹外箱破损，里面的杯子碎了。',
      },
    });
    await storeOpenCase(received);
    const receivedMs = Date.parse(received.createdAt);
    const replied: SupportCase = {
      ...received,
      clocks: {
        ...received.clocks,
        firstResponse: meetClock(received.clocks.firstResponse!, new Date(receivedMs + minutes(30))),
      },
    };
    const waitingSince = new Date(receivedMs + minutes(60));
    await deps.cases.saveCase(awaitingCustomer(replied, waitingSince), {});
    expect(received.clocks.resolution?.dueAt).toBe(new Date(receivedMs + minutes(48 * 60)).toISOString());

    await sweep();
    await deliverSlaWorkAndNotifications();
    // Even a message that reaches the consumer directly finds nothing to do.
    expect(await slaWorkFor(received.caseId)).toEqual({ batchItemFailures: [] });

    const { supportCase, timeline } = await timelineOf(received.caseId);
    expect(supportCase.clocks.plan).toMatchObject({ state: 'paused', breachedAt: null });
    expect(supportCase.clocks.resolution).toMatchObject({
      state: 'paused',
      pausedAt: waitingSince.toISOString(),
      breachedAt: null,
    });
    expect(supportCase.escalationLevel).toBe(0);
    expect(kindsOf(timeline, 'breached')).toEqual([]);
  });

  it('reminds the handler once when a clock reaches 80 %', async () => {
    const handlerEmail = uniqueEmail('alice');
    const { caseId } = await storeOpenCase({
      ...anOpenCase({ receivedAt: ago(minutes(100)) }),
      owner: 'alice',
      handler: 'alice',
      handlerEmail,
    });
    for (let run = 0; run < 3; run += 1) {
      await sweep();
      while (await deliverBatch(env, 'slaWork', slaWorkConsumer, { duplicate: true }));
      await drainQueue(env, 'notifications', notificationConsumer);
    }

    const { supportCase, timeline } = await timelineOf(caseId);
    expect(supportCase.clocks.firstResponse).toMatchObject({ state: 'running', atRisk: true });
    expect(kindsOf(timeline, 'at_risk')).toHaveLength(1);
    expect(await mailAbout(handlerEmail, caseId)).toHaveLength(1);
  });
});

describe('self-healing', () => {
  it('sends a case stuck in received back to intake, and leaves a fresh one alone', async () => {
    const stuck = aReceivedCase({ receivedAt: ago(minutes(5)) });
    const fresh = aReceivedCase({ receivedAt: ago(minutes(1)) });
    await deps.cases.createCase(stuck, []);
    await deps.cases.createCase(fresh, []);

    expect((await sweep()).requeuedIntake).toBeGreaterThanOrEqual(1);
    const requeued: string[] = [];
    await drainQueue(env, 'intake', async (event, context) => {
      requeued.push(...event.Records.map((record) => JSON.parse(record.body).caseId as string));
      return intakeConsumer(event, context);
    });

    expect(requeued).toContain(stuck.caseId);
    expect(requeued).not.toContain(fresh.caseId);
    expect((await deps.cases.getCase(stuck.caseId))?.status).toBe('open');
  });

  it('re-queues a notification whose SendMessage was lost after the write committed', async () => {
    const email = uniqueEmail();
    const received = aReceivedCase({
      receivedAt: ago(minutes(1)),
      submission: {
        customer: { name: '张三', email, type: 'individual', locale: 'zh-CN' },
      },
    });
    await deps.cases.createCase(received, []);
    const accepted = acceptReceivedCase(received, {
      now: deps.clock.now(),
      sla: (await policyInForce(deps)).sla,
      duplicateOf: null,
    })!;
    // Committed with its acknowledgement in the outbox, but never queued.
    await deps.cases.saveCase(accepted.supportCase, {
      timeline: accepted.timeline,
      notifications: accepted.notifications,
    });
    expect(await emailsTo(env, email)).toEqual([]);
    // The table stream brings the change to its completer, which finds the notification unclaimed and
    // puts it where the sweep finds it.
    await drainCaseStream(env);

    expect((await sweep()).requeuedNotifications).toBeGreaterThanOrEqual(1);
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await mailAbout(email, received.caseId)).toHaveLength(1);
  });
});
