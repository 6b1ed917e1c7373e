// Delivery of outbox notifications against the emulators: exactly once under duplicates and races,
// retried with backoff through SES throttling, dead-lettered with `notification_failed` when it never
// heals, SMS in the customer's language, opt-outs, quiet hours and the survey rules.
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, setSystemClock, systemClock } from '#adapters/clock';
import { dependencies, resetDependencies } from '#adapters/dependencies';
import { customerNotifications } from '#domain/case/notifications';
import type { NotificationChannel, SupportCase } from '#domain/support-case';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { handler as smsNotificationConsumer } from '#functions/queue/sms-notification-consumer';
import { handler as slaSweep } from '#functions/schedule/sla-sweep';
import type { Dependencies } from '#use-cases/ports';
import { type FaultProxy, startFaultProxy } from '../../infra/sandbox/fault-proxy.ts';
import { scheduledEvent, toSqsRecords } from '../../infra/sandbox/lambda-runtime.ts';
import { optedOutTestNumbers } from '../../infra/sandbox/sms-emulator.ts';
import { copyBack } from '../../infra/tools/redrive-dlq.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import { anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  deliverBatch,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  lambdaContext,
  smsTo,
  uniqueEmail,
  uniqueMobile,
  visibleMessages,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let sesProxy: FaultProxy;
let smsProxy: FaultProxy;
let deps: Dependencies;

beforeAll(async () => {
  // Failed records come back after 1 s instead of 10 s, 20 s, …: the backoff under test, made quick.
  process.env.RETRY_BASE_SECONDS = '1';
  process.env.RETRY_MAX_SECONDS = '1';
  env = await createIntegrationEnvironment();
  sesProxy = await startFaultProxy({ service: 'ses', target: env.emulators.ses, failureRate: 0 });
  smsProxy = await startFaultProxy({ service: 'sms', target: env.emulators.sms, failureRate: 0 });
  process.env.AWS_ENDPOINT_URL_SESV2 = sesProxy.endpoint;
  process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = smsProxy.endpoint;
  resetDependencies();
  deps = await dependencies();
});

afterEach(() => {
  sesProxy.setFailureRate(0);
  resetSystemClock();
});

afterAll(async () => {
  await sesProxy?.stop();
  await smsProxy?.stop();
});

/** 10:00 on 24 November 2026 in Beijing: outside quiet hours. */
const beijingMorning = new Date('2026-11-24T02:00:00.000Z');

async function submit(body: unknown): Promise<{ caseId: string; accessToken: string }> {
  const response = await callApi(submitCase, {
    method: 'POST',
    routeKey: 'POST /cases',
    path: '/cases',
    body,
  });
  expect(response.status).toBe(201);
  return response.body;
}

/** Submitted and through intake: the acknowledgement is in the outbox and on the notifications queue. */
async function acknowledgementQueued(body: unknown): Promise<string> {
  const { caseId } = await submit(body);
  await drainQueue(env, 'intake', intakeConsumer);
  return caseId;
}

async function timeline(caseId: string) {
  return (await deps.cases.getCaseWithTimeline(caseId))!.timeline;
}

const kindsOf = (entries: Array<{ kind: string }>) => entries.map((entry) => entry.kind);

/** Polls the notifications queue until a batch arrives (failed records come back after the backoff). */
async function nextBatch(timeoutMs = 8_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const batch = await deliverBatch(env, 'notifications', notificationConsumer);
    if (batch) return batch;
    if (Date.now() > until) throw new Error('No notification came back within the backoff');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type QueueHandler = (
  event: { Records: ReturnType<typeof toSqsRecords> },
  context: Context,
) => Promise<SQSBatchResponse>;

/** Two consumers receive the same messages at the same moment, as two Lambda pollers can. */
async function raceTwoConsumers(handler: QueueHandler): Promise<SQSBatchResponse[]> {
  const received = await env.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: env.queues.notifications.url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const records = toSqsRecords(received.Messages ?? [], 'arn:aws:sqs:us-east-1:000000000000:notifications');
  expect(records.length).toBeGreaterThan(0);
  return Promise.all([
    handler({ Records: records }, lambdaContext()),
    handler({ Records: records }, lambdaContext()),
  ]);
}

describe('exactly once', () => {
  it('sends one acknowledgement when SQS delivers the message twice', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email } }));
    await deliverBatch(env, 'notifications', notificationConsumer, { duplicate: true });
    await drainQueue(env, 'notifications', notificationConsumer);

    expect(await emailsTo(env, email)).toHaveLength(1);
    expect(kindsOf(await timeline(caseId)).filter((kind) => kind === 'notification_sent')).toHaveLength(1);
  });

  it('sends one acknowledgement when two consumers race for it', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email } }));
    const responses = await raceTwoConsumers(notificationConsumer);

    // One consumer sends; the other finds it sent, or busy and retries later to find it sent.
    expect(responses.some((response) => response.batchItemFailures.length === 0)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await emailsTo(env, email)).toHaveLength(1);
    expect(kindsOf(await timeline(caseId)).filter((kind) => kind === 'notification_sent')).toHaveLength(1);
  });
});

describe('failures', () => {
  it('reports an SES throttle as a batch item failure and retries it after the backoff, not the visibility timeout', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email } }));
    sesProxy.setFailureRate(1);

    const failed = await deliverBatch(env, 'notifications', notificationConsumer);
    expect(failed).toMatchObject({ received: 1, failed: [expect.any(String)] });
    expect(await emailsTo(env, email)).toHaveLength(0);
    const pending = await deps.outbox.getNotification(caseId, `${caseId}.ack.email`);
    expect(pending).toMatchObject({
      status: 'pending',
      lastError: expect.stringMatching(/TooManyRequests|InternalFailure/),
    });
    // The failed queue message retries it with backoff; the dispatch job must not add a second retry path.
    const due = await deps.outbox.findDispatchableNotifications(systemClock.now().toISOString());
    expect(due).not.toContainEqual(
      expect.objectContaining({ caseId, notificationId: `${caseId}.ack.email` }),
    );

    sesProxy.setFailureRate(0);
    const startedWaiting = Date.now();
    const retried = await nextBatch();
    // The queue's visibility timeout is 180 s; the record came back after the 1 s backoff.
    expect(Date.now() - startedWaiting).toBeLessThan(8_000);
    expect(retried.failed).toEqual([]);
    expect(await emailsTo(env, email)).toHaveLength(1);
    expect(await deps.outbox.getNotification(caseId, `${caseId}.ack.email`)).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('dead-letters a notification that keeps failing, records notification_failed, and sends it once after a redrive', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email } }));
    sesProxy.setFailureRate(1);

    const until = Date.now() + 50_000;
    while ((await visibleMessages(env, 'notifications', true)) === 0) {
      if (Date.now() > until) throw new Error('The notification never reached the DLQ');
      await deliverBatch(env, 'notifications', notificationConsumer);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const failedEntries = (await timeline(caseId)).filter((entry) => entry.kind === 'notification_failed');
    expect(failedEntries).toHaveLength(1);
    expect(failedEntries[0]).toMatchObject({
      internal: true,
      data: { notificationId: `${caseId}.ack.email` },
    });
    expect(await deps.outbox.getNotification(caseId, `${caseId}.ack.email`)).toMatchObject({
      status: 'failed',
      attempts: 5,
    });
    expect(await emailsTo(env, email)).toHaveLength(0);

    // After the fix: `npm run redrive -- notifications --sandbox` does this copy.
    sesProxy.setFailureRate(0);
    const { url, dlqUrl } = env.queues.notifications;
    expect(await copyBack(env.sqs, { queueUrl: url, deadLetterUrl: dlqUrl })).toBe(1);
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await emailsTo(env, email)).toHaveLength(1);
    expect(await visibleMessages(env, 'notifications', true)).toBe(0);
  }, 60_000);
});

describe('SMS', () => {
  it.each([
    ['zh-CN', /[\u4e00-\u9fff]/],
    ['en', /^[^\u4e00-\u9fff]+$/],
  ] as const)('texts a phone-only customer in their language (%s)', async (locale, language) => {
    setSystemClock(beijingMorning);
    const phone = uniqueMobile();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email: undefined, phone, locale } }));
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);

    const texts = await smsTo(env, phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toContain(caseId);
    expect(texts[0]!.body).toMatch(language);
  });

  it('marks an opted-out phone and sends it nothing more', async () => {
    setSystemClock(beijingMorning);
    const phone = optedOutTestNumbers[0]!;
    const first = await acknowledgementQueued(anInquiry({ customer: { email: undefined, phone } }));
    const callsBefore = smsProxy.stats().calls;
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    expect(smsProxy.stats().calls).toBe(callsBefore + 1);
    expect(await deps.contacts.getSuppression(deps.keyring.hashContact(phone))).toMatchObject({
      reason: 'opted_out',
      channel: 'sms',
    });
    expect(await timeline(first)).toContainEqual(
      expect.objectContaining({
        kind: 'notification_suppressed',
        internal: true,
        data: expect.objectContaining({ reason: 'opted_out' }),
      }),
    );

    const second = await acknowledgementQueued(anInquiry({ customer: { email: undefined, phone } }));
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    // Suppressed before the send: the SMS service is not even asked.
    expect(smsProxy.stats().calls).toBe(callsBefore + 1);
    expect(await deps.outbox.getNotification(second, `${second}.ack.sms`)).toMatchObject({
      status: 'suppressed',
    });
  });

  it('holds an SMS due during quiet hours until 08:00 Beijing time, when the dispatch job sends it', async () => {
    setSystemClock(new Date('2026-11-24T14:00:00.000Z')); // 22:00 in Beijing
    const phone = uniqueMobile();
    const caseId = await acknowledgementQueued(anInquiry({ customer: { email: undefined, phone } }));
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    expect(await smsTo(env, phone)).toHaveLength(0);
    expect(await deps.outbox.getNotification(caseId, `${caseId}.ack.sms`)).toMatchObject({
      status: 'pending',
      dispatchAt: '2026-11-25T00:00:00.000Z',
    });

    setSystemClock(new Date('2026-11-25T06:59:00.000+08:00'));
    await slaSweep(scheduledEvent('sla-sweep', systemClock.now()), lambdaContext());
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    expect(await smsTo(env, phone)).toHaveLength(0);

    setSystemClock(new Date('2026-11-25T08:00:00.000+08:00'));
    await slaSweep(scheduledEvent('sla-sweep', systemClock.now()), lambdaContext());
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    const texts = await smsTo(env, phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toContain(caseId);
  });
});

describe('surveys', () => {
  /** A case through intake with a survey due now in its outbox and (unless `queue` is false) on the queue. */
  async function surveyQueued(
    customer: { email?: string; phone?: string },
    change: (supportCase: SupportCase) => SupportCase = (supportCase) => supportCase,
    queue = true,
  ): Promise<{ caseId: string; notificationId: string; accessToken: string }> {
    const { caseId, accessToken } = await submit(anInquiry({ customer: { email: undefined, ...customer } }));
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'notifications', notificationConsumer);
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    const supportCase = (await deps.cases.getCase(caseId))!;
    const [survey] = customerNotifications(
      supportCase,
      'survey',
      `survey-${randomUUID().slice(0, 8)}`,
      {},
      systemClock.now().toISOString(),
    );
    await deps.cases.saveCase(change(supportCase), { notifications: [survey!] });
    if (queue) await deps.queues.notifications.send([{ caseId, notificationId: survey!.notificationId }]);
    return { caseId, notificationId: survey!.notificationId, accessToken };
  }

  const surveysTo = async (email: string) =>
    (await emailsTo(env, email)).filter((mail) => mail.subject.includes('How did we do'));

  it('sends the survey with a link that carries the case token', async () => {
    const email = uniqueEmail();
    const survey = await surveyQueued({ email });
    await drainQueue(env, 'notifications', notificationConsumer);
    const notification = await deps.outbox.getNotification(survey.caseId, survey.notificationId);
    expect(notification?.status).toBe('sent');
    const surveys = await surveysTo(email);
    expect(surveys).toHaveLength(1);
    expect(surveys[0]!.subject).toContain(survey.caseId);
    expect(surveys[0]!.body.text).toContain(
      `/case/${survey.caseId}?rate=1#token=${encodeURIComponent(survey.accessToken)}`,
    );
  });

  it('skips the survey when the customer already gave feedback, and notes it for staff only', async () => {
    const email = uniqueEmail();
    const survey = await surveyQueued({ email }, (supportCase) => ({
      ...supportCase,
      feedback: { score: 5, at: systemClock.now().toISOString() },
    }));
    await drainQueue(env, 'notifications', notificationConsumer);

    expect(await deps.outbox.getNotification(survey.caseId, survey.notificationId)).toMatchObject({
      status: 'skipped',
    });
    expect(await timeline(survey.caseId)).toContainEqual(
      expect.objectContaining({
        kind: 'notification_skipped',
        internal: true,
        data: expect.objectContaining({ reason: 'feedback_given' }),
      }),
    );
    expect(await emailsTo(env, email)).toHaveLength(1); // the acknowledgement only
  });

  it('surveys a customer at most once in 7 days, across their cases', async () => {
    setSystemClock(beijingMorning);
    const email = uniqueEmail();
    const first = await surveyQueued({ email });
    await drainQueue(env, 'notifications', notificationConsumer);
    const second = await surveyQueued({ email });
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await deps.outbox.getNotification(first.caseId, first.notificationId)).toMatchObject({
      status: 'sent',
    });
    expect(await deps.outbox.getNotification(second.caseId, second.notificationId)).toMatchObject({
      status: 'skipped',
    });
    expect(await timeline(second.caseId)).toContainEqual(
      expect.objectContaining({
        kind: 'notification_skipped',
        data: expect.objectContaining({ reason: 'surveyed_recently' }),
      }),
    );

    setSystemClock(new Date(beijingMorning.getTime() + 7 * 86_400_000 + 60_000));
    const third = await surveyQueued({ email });
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await deps.outbox.getNotification(third.caseId, third.notificationId)).toMatchObject({
      status: 'sent',
    });
    expect(await surveysTo(email)).toHaveLength(2);
  });

  it('sends one survey when two cases of the same customer race for it (matched by phone)', async () => {
    setSystemClock(beijingMorning);
    const phone = uniqueMobile();
    const first = await surveyQueued({ phone }, undefined, false);
    const second = await surveyQueued({ phone }, undefined, false);
    await deps.queues.notifications.send(
      [first, second].map(({ caseId, notificationId }) => ({ caseId, notificationId })),
    );
    // SMS go to their own queue.
    const received = await env.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: env.queues.smsNotifications.url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const records = toSqsRecords(
      received.Messages ?? [],
      'arn:aws:sqs:us-east-1:000000000000:smsNotifications',
    );
    expect(records).toHaveLength(2);
    // Each survey in its own consumer, at the same moment.
    await Promise.all(
      records.map((record) => smsNotificationConsumer({ Records: [record] }, lambdaContext())),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);

    const statuses = await Promise.all(
      [first, second].map(
        async (survey) => (await deps.outbox.getNotification(survey.caseId, survey.notificationId))?.status,
      ),
    );
    expect(statuses.sort()).toEqual(['sent', 'skipped']);
    // Two acknowledgements and one survey.
    expect(await smsTo(env, phone)).toHaveLength(3);
  });
});

describe('the sweep of due notifications', () => {
  it('re-queues a due notification whose SendMessage was lost after the commit, once the completer found it unclaimed', async () => {
    const email = uniqueEmail();
    const { caseId } = await submit(anInquiry({ customer: { email } }));
    await drainQueue(env, 'intake', intakeConsumer);
    // Lose the acknowledgement's message, as if SendMessage had failed after the commit.
    const received = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: env.queues.notifications.url, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages).toHaveLength(1);
    await env.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: env.queues.notifications.url,
        ReceiptHandle: received.Messages![0]!.ReceiptHandle,
      }),
    );

    // Its writer put it outside the dispatch index, having queued it: the sweep cannot see it yet.
    const ack = { caseId, notificationId: `${caseId}.ack.email` };
    expect(
      await deps.outbox.findDispatchableNotifications(systemClock.now().toISOString()),
    ).not.toContainEqual(expect.objectContaining(ack));
    // The table stream brings the change to the completer, which finds the notification unclaimed.
    await drainCaseStream(env);
    expect(await deps.outbox.findDispatchableNotifications(systemClock.now().toISOString())).toContainEqual(
      expect.objectContaining(ack),
    );
    const report = await slaSweep(scheduledEvent('sla-sweep', systemClock.now()), lambdaContext());
    expect(report).toMatchObject({ requeuedNotifications: expect.any(Number) });
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await emailsTo(env, email)).toHaveLength(1);
    expect(await deps.outbox.getNotification(caseId, `${caseId}.ack.email`)).toMatchObject({
      status: 'sent',
    });
  });
});

describe("a notification on the other channel's queue", () => {
  const queueOf = { email: 'notifications', sms: 'smsNotifications' } as const;
  const consumerOf = { email: notificationConsumer, sms: smsNotificationConsumer } as const;

  /**
   * The message of `notificationId` on the channel's queue, as Lambda's event source hands it to a consumer,
   * and taken off the queue (other tests' messages received on the way come back after their timeout).
   */
  async function takeMessage(channel: NotificationChannel, notificationId: string) {
    const queue = queueOf[channel];
    for (let round = 0; round < 20; round += 1) {
      const received = await env.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: env.queues[queue].url,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const ours = (received.Messages ?? []).find((message) => message.Body?.includes(notificationId));
      if (ours) {
        await env.sqs.send(
          new DeleteMessageCommand({ QueueUrl: env.queues[queue].url, ReceiptHandle: ours.ReceiptHandle }),
        );
        return toSqsRecords([ours], `arn:aws:sqs:us-east-1:000000000000:${queue}`)[0]!;
      }
    }
    throw new Error(`${notificationId} is not on ${queue}`);
  }

  /** Puts the message on the other channel's queue, as a redrive by hand to the wrong queue would. */
  const redriveTo = (channel: NotificationChannel, body: string) =>
    env.sqs.send(new SendMessageCommand({ QueueUrl: env.queues[queueOf[channel]].url, MessageBody: body }));

  it.each([
    ['an SMS', 'sms', 'email'],
    ['an email', 'email', 'sms'],
  ] as const)(
    'hands %s that reached the other consumer to its own queue, unclaimed; it is sent once there',
    async (_, channel, wrong) => {
      setSystemClock(beijingMorning);
      const email = uniqueEmail();
      const phone = uniqueMobile();
      const customer = channel === 'sms' ? { email: undefined, phone } : { email };
      const caseId = await acknowledgementQueued(anInquiry({ customer }));
      const notificationId = `${caseId}.ack.${channel}`;
      const delivered = async () =>
        channel === 'sms' ? (await smsTo(env, phone)).length : (await emailsTo(env, email)).length;
      const { body } = await takeMessage(channel, notificationId);

      for (const redrive of ['before it is sent', 'after it was sent']) {
        await redriveTo(wrong, body);
        const misrouted = await takeMessage(wrong, notificationId);
        // The other channel's consumer neither fails (it may not send on this channel) nor claims it.
        expect(await consumerOf[wrong]({ Records: [misrouted] }, lambdaContext()), redrive).toEqual({
          batchItemFailures: [],
        });
        if (redrive === 'before it is sent') {
          expect(await deps.outbox.getNotification(caseId, notificationId)).toMatchObject({
            status: 'pending',
            attempts: 0,
          });
        }
        expect(await delivered(), redrive).toBe(redrive === 'before it is sent' ? 0 : 1);

        const handedOn = await takeMessage(channel, notificationId);
        expect(JSON.parse(handedOn.body)).toEqual({ caseId, notificationId });
        expect(await consumerOf[channel]({ Records: [handedOn] }, lambdaContext())).toEqual({
          batchItemFailures: [],
        });
        expect(await delivered(), redrive).toBe(1);
        expect(await deps.outbox.getNotification(caseId, notificationId)).toMatchObject({
          status: 'sent',
          attempts: 1,
        });
      }
    },
  );
});
