// Poison-proof intake (issue "Launch day", item 3): dates are judged at the API against the functions'
// clock, a delay report from a year the calendar lacks is still accepted and acknowledged, a year without
// holiday data gives approximate deadlines and a CalendarDataMissing count instead of an error, and a case
// intake cannot accept no longer circles for ever: the sweep hands it back at most `maxIntakeRequeues`
// times, then intake gives up on it (`intake_failed`, the supervisors' queue of received cases, IntakeFailed).
import type { SQSBatchResponse } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetSystemClock, setSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { giveUpIntake, maxIntakeRequeues } from '#domain/case/intake';
import type { SubmitCaseInput } from '#events/customer-api';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as listAgentCases } from '#functions/http/list-agent-cases';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { handler as slaSweep } from '#functions/schedule/sla-sweep';
import type { Dependencies } from '#use-cases/ports';
import type { SweepReport } from '#use-cases/sweep-deadlines';
import { scheduledEvent } from '../../infra/sandbox/lambda-runtime.ts';
import { callRoute, supervisor } from '../support/case-routes.ts';
import { aComplaint } from '../support/factories.ts';
import {
  createIntegrationEnvironment,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  lambdaContext,
  uniqueEmail,
  visibleMessages,
} from '../support/integration-environment.ts';
import { aReceivedCase } from '../support/support-cases.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});

afterEach(async () => {
  // Nothing a test submitted stays in `received`, so the sweep below sees only the cases it is about.
  await drainQueue(env, 'intake', intakeConsumer);
  resetSystemClock();
  vi.restoreAllMocks();
});

/** The delay report of the issue: standard, inter-province, shipped on Sunday 28 December 2025. */
const delayReport = (email: string, shippedAt = '2025-12-28T07:00:00.000Z'): SubmitCaseInput =>
  aComplaint({
    type: 'exception',
    category: 'delayed',
    subject: '包裹迟迟未到',
    description: '12月28日寄出的包裹一直显示运输中',
    trackingNumber: `SF${Date.now()}`,
    customer: { email },
    shipment: { service: 'standard', route: 'inter_province', shippedAt },
  });

const submit = (body: unknown) => callRoute(submitCase, 'POST /cases', { body });

const agentView = async (caseId: string) => {
  const response = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', { caseId, claims: supervisor });
  expect(response.status).toBe(200);
  return response.body;
};

async function runIntakeAndDelivery() {
  await drainQueue(env, 'intake', intakeConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
}

describe('dates in a body are judged against the request time', () => {
  it.each([
    ['in the future', '2026-01-13T03:00:00.000Z', 'Must not be in the future'],
    ['more than a year back', '2025-01-11T00:00:00.000Z', 'Must be within the last year'],
  ])(
    'answers 400 validation_error naming shipment.shippedAt for a date %s',
    async (_, shippedAt, message) => {
      setSystemClock(new Date('2026-01-12T02:00:00.000Z'));
      const response = await submit(delayReport(uniqueEmail(), shippedAt));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'validation_error',
        details: [{ path: 'shipment.shippedAt', message }],
      });
    },
  );

  it('follows the functions clock, not the machine clock: a date valid today is refused a year later', async () => {
    const shippedAt = '2026-01-10T02:00:00.000Z';
    setSystemClock(new Date('2026-01-12T02:00:00.000Z'));
    expect((await submit(delayReport(uniqueEmail(), shippedAt))).status).toBe(201);
    setSystemClock(new Date('2027-01-12T02:00:00.000Z'));
    expect((await submit(delayReport(uniqueEmail(), shippedAt))).status).toBe(400);
  });

  it('tolerates a client clock a few minutes ahead', async () => {
    setSystemClock(new Date('2026-01-12T02:00:00.000Z'));
    const response = await submit(delayReport(uniqueEmail(), '2026-01-12T02:04:00.000Z'));
    expect(response.status).toBe(201);
  });
});

describe('the 2025-12-28 delay report', () => {
  it('is classified, judged on the 2025 calendar and acknowledged', async () => {
    setSystemClock(new Date('2026-01-12T02:00:00.000Z')); // Monday 10:00 in Beijing
    const email = uniqueEmail('late.parcel');
    const submitted = await submit(delayReport(email));
    expect(submitted.status).toBe(201);
    await runIntakeAndDelivery();

    const view = await agentView(submitted.body.caseId);
    expect(view).toMatchObject({ status: 'open', category: 'delayed' });
    const kinds = view.timeline.map((entry: { kind: string }) => entry.kind);
    // The supervisor's unmasked read adds its own contact_viewed entry.
    expect(kinds).toEqual([
      'created',
      'classified',
      'delivery_checked',
      'notification_sent',
      'contact_viewed',
    ]);
    const check = view.timeline.find((entry: { kind: string }) => entry.kind === 'delivery_checked');
    // Dec 29–31, Jan 4 (make-up Sunday), 5–7: committed by the end of Wednesday 7 January 2026.
    expect(check.data).toEqual({
      verdict: 'delayed',
      commitmentAt: '2026-01-07T16:00:00.000Z',
      lostAfter: '2026-01-14T16:00:00.000Z',
    });
    const [ack] = await emailsTo(env, email);
    expect(ack?.subject).toContain(submitted.body.caseId);
  });
});

describe('a year without holiday data', () => {
  it('counts Monday to Friday, marks the clock approximate and counts CalendarDataMissing', async () => {
    const counts = vi.spyOn(deps.metrics, 'count');
    // Thursday 30 December 2027, 10:00 in Beijing: a suggestion's 3 working days run into 2028.
    setSystemClock(new Date('2027-12-30T02:00:00.000Z'));
    const email = uniqueEmail('suggestion');
    const submitted = await submit(
      aComplaint({
        type: 'suggestion',
        subject: '建议增加夜间派送',
        description: '希望可以提供晚上八点以后的派送服务',
        trackingNumber: undefined,
        customer: { email },
      }),
    );
    expect(submitted.status).toBe(201);
    await runIntakeAndDelivery();

    const view = await agentView(submitted.body.caseId);
    expect(view.status).toBe('open');
    // Dec 31 2027, then Monday 3 and Tuesday 4 January 2028 (weekends only).
    expect(view.clocks.resolution).toMatchObject({ dueAt: '2028-01-04T16:00:00.000Z', approximate: true });
    expect(view.clocks.firstResponse).not.toHaveProperty('approximate');
    expect(counts).toHaveBeenCalledWith('CalendarDataMissing', {});
    expect(await emailsTo(env, email)).toHaveLength(1);
  });
});

const tenMinutesAgo = () => new Date(deps.clock.now().getTime() - 10 * 60_000);

const sweep = async (): Promise<SweepReport> =>
  slaSweep(scheduledEvent('sla-sweep', deps.clock.now()), lambdaContext());

/** An intake that takes the message off the queue and accepts nothing, as a poisoned case would leave it. */
const lostIntake =
  (handedBack: string[]) =>
  async (event: { Records: Array<{ body: string }> }): Promise<SQSBatchResponse> => {
    for (const record of event.Records)
      handedBack.push((JSON.parse(record.body) as { caseId: string }).caseId);
    return { batchItemFailures: [] };
  };

const receivedQueue = async () => {
  const response = await callRoute(listAgentCases, 'GET /agent/cases', {
    query: { status: 'received' },
    claims: supervisor,
  });
  expect(response.status).toBe(200);
  return response.body.cases as Array<{ caseId: string; intakeFailedAt?: string }>;
};

describe('the sweep and a case intake cannot accept', () => {
  it(`hands it back ${maxIntakeRequeues} times, then gives up: intake_failed, the received queue, IntakeFailed`, async () => {
    const counts = vi.spyOn(deps.metrics, 'count');
    const stuck = aReceivedCase({ receivedAt: tenMinutesAgo() });
    await deps.cases.createCase(stuck, []);

    const handedBack: string[] = [];
    for (let run = 1; run <= maxIntakeRequeues; run += 1) {
      expect(await sweep()).toMatchObject({ requeuedIntake: 1, failedIntake: 0 });
      await drainQueue(env, 'intake', lostIntake(handedBack));
    }
    expect(handedBack).toEqual(Array.from({ length: maxIntakeRequeues }, () => stuck.caseId));

    expect(await sweep()).toMatchObject({ requeuedIntake: 0, failedIntake: 1 });
    expect(await visibleMessages(env, 'intake')).toBe(0);
    expect(counts).toHaveBeenCalledWith('IntakeFailed', {});

    const view = await agentView(stuck.caseId);
    expect(view.status).toBe('received');
    expect(view.intakeFailedAt).toEqual(expect.any(String));
    expect(view.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'intake_failed',
        internal: true,
        data: { requeues: maxIntakeRequeues },
      }),
    );
    expect(await receivedQueue()).toContainEqual(
      expect.objectContaining({ caseId: stuck.caseId, intakeFailedAt: view.intakeFailedAt }),
    );

    // Given up on once: later sweeps neither hand it back nor count it again.
    counts.mockClear();
    expect(await sweep()).toMatchObject({ requeuedIntake: 0, failedIntake: 0 });
    expect(counts).not.toHaveBeenCalledWith('IntakeFailed', {});
  });

  it('counts every hand-back, even from two sweeps at once', async () => {
    const { caseId } = aReceivedCase();
    const counted = await Promise.all([1, 2, 3].map(() => deps.intakeRequeues.countRequeue(caseId)));
    expect(counted.sort()).toEqual([1, 2, 3]);
  });

  it('accepts a case it gave up on when its intake message comes back after the fix (a redrive)', async () => {
    const gaveUp = giveUpIntake(aReceivedCase({ receivedAt: tenMinutesAgo() }), {
      now: deps.clock.now(),
      requeues: maxIntakeRequeues,
    })!.supportCase;
    await deps.cases.createCase(gaveUp, []);
    expect((await receivedQueue()).map((row) => row.caseId)).toContain(gaveUp.caseId);

    await deps.queues.intake.send([{ caseId: gaveUp.caseId }]);
    await drainQueue(env, 'intake', intakeConsumer);

    const accepted = await deps.cases.getCase(gaveUp.caseId);
    expect(accepted?.status).toBe('open');
    expect(accepted).not.toHaveProperty('intakeFailedAt');
    expect((await receivedQueue()).map((row) => row.caseId)).not.toContain(gaveUp.caseId);
  });
});
