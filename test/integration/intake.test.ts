import { beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, setSystemClock } from '#adapters/clock';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { handler as smsNotificationConsumer } from '#functions/queue/sms-notification-consumer';
import { aComplaint, anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  deliverBatch,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  smsTo,
  uniqueEmail,
  uniqueMobile,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

const submit = async (body: unknown) => {
  const response = await callApi(submitCase, {
    method: 'POST',
    routeKey: 'POST /cases',
    path: '/cases',
    body,
  });
  expect(response.status).toBe(201);
  return response.body as { caseId: string; accessToken: string; deadlines: Record<string, string> };
};

const view = async (caseId: string, token: string) =>
  (
    await callApi(getCustomerCase, {
      method: 'GET',
      routeKey: 'GET /cases/{caseId}',
      path: `/cases/${caseId}`,
      pathParameters: { caseId },
      headers: { 'x-case-token': token },
    })
  ).body;

/** Intake, then notification delivery (emails and SMS on their own queues), as the event source mappings would run them. */
async function runPipeline() {
  await drainQueue(env, 'intake', intakeConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
  await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
}

describe('intake and the acknowledgement', () => {
  it('classifies a Chinese complaint without a category, routes it and acknowledges it in Chinese', async () => {
    const email = uniqueEmail();
    const submitted = await submit(aComplaint({ customer: { email } }));
    await runPipeline();

    const customerView = await view(submitted.caseId, submitted.accessToken);
    expect(customerView).toMatchObject({ status: 'open', category: 'service' });
    expect(customerView.timeline.map((entry: { kind: string }) => entry.kind)).toEqual([
      'created',
      'classified',
      'notification_sent',
    ]);
    expect(customerView.timeline[1].message).toBe('工单已分类（服务态度）并转交负责团队');
    expect(customerView.timeline.at(-1).message).toBe('受理通知已通过邮件发送');

    const emails = await emailsTo(env, email);
    expect(emails).toHaveLength(1);
    const [ack] = emails;
    expect(ack!.subject).toContain(submitted.caseId);
    expect(ack!.subject).toMatch(/已受理/);
    expect(ack!.body.text).toContain('北京时间');
    // The link carries the case token, derived at send time and never stored in the outbox.
    expect(ack!.body.text).toContain(
      `/case/${submitted.caseId}#token=${encodeURIComponent(submitted.accessToken)}`,
    );
  });

  it('acknowledges in English for locale en, with the deadlines of the response', async () => {
    const email = uniqueEmail('ann');
    const submitted = await submit(anInquiry({ customer: { email } }));
    await runPipeline();
    const [ack] = await emailsTo(env, email);
    expect(ack!.subject).toContain(submitted.caseId);
    expect(ack!.body.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(ack!.body.text).toContain('Beijing time');
  });

  it('texts a phone-only customer instead of emailing (outside quiet hours)', async () => {
    setSystemClock(new Date('2026-11-24T03:00:00.000Z')); // 11:00 in Beijing
    try {
      const phone = uniqueMobile();
      const submitted = await submit(anInquiry({ customer: { email: undefined, phone, locale: 'zh-CN' } }));
      await runPipeline();
      const texts = await smsTo(env, phone);
      expect(texts).toHaveLength(1);
      expect(texts[0]!.body).toContain(submitted.caseId);
    } finally {
      resetSystemClock();
    }
  });

  it('accepts a case once, however often the intake message is delivered', async () => {
    const email = uniqueEmail();
    const submitted = await submit(aComplaint({ customer: { email } }));
    await deliverBatch(env, 'intake', intakeConsumer, { duplicate: true });
    await drainQueue(env, 'intake', intakeConsumer);
    await deliverBatch(env, 'notifications', notificationConsumer, { duplicate: true });
    await drainQueue(env, 'notifications', notificationConsumer);
    const customerView = await view(submitted.caseId, submitted.accessToken);
    expect(
      customerView.timeline.filter((entry: { kind: string }) => entry.kind === 'classified'),
    ).toHaveLength(1);
    expect(await emailsTo(env, email)).toHaveLength(1);
  });

  it('links a second report of the same waybill by the same customer to the open case and says so', async () => {
    const email = uniqueEmail();
    const trackingNumber = `YT${Date.now()}`;
    const first = await submit(aComplaint({ trackingNumber, customer: { email } }));
    await runPipeline();
    const second = await submit(
      aComplaint({
        trackingNumber,
        subject: '还是没有人处理',
        description: '快递员骂人的事情还没有回复',
        customer: { email },
      }),
    );
    await runPipeline();
    const secondView = await view(second.caseId, second.accessToken);
    expect(secondView.linkedCaseIds).toEqual([first.caseId]);
    expect(secondView.timeline.map((entry: { kind: string }) => entry.kind)).toContain('linked');
    const emails = await emailsTo(env, email);
    const linkedNotice = emails.find(
      (mail) => mail.subject.includes(second.caseId) && mail.body.text?.includes(first.caseId),
    );
    expect(linkedNotice).toBeDefined();
  });

  it('does not link reports of the same waybill by different customers', async () => {
    const trackingNumber = `ZT${Date.now()}`;
    await submit(aComplaint({ trackingNumber, customer: { email: uniqueEmail() } }));
    await runPipeline();
    const other = await submit(aComplaint({ trackingNumber, customer: { email: uniqueEmail() } }));
    await runPipeline();
    expect((await view(other.caseId, other.accessToken)).linkedCaseIds).toEqual([]);
  });

  it('sends a malformed intake message to retries, and in the end the DLQ, without failing its batch-mates', async () => {
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await env.sqs.send(
      new SendMessageCommand({ QueueUrl: env.queues.intake.url, MessageBody: '{"caseId": 42}' }),
    );
    const email = uniqueEmail();
    await submit(aComplaint({ customer: { email } }));
    const batch = await deliverBatch(env, 'intake', intakeConsumer);
    expect(batch?.received).toBe(2);
    expect(batch?.failed).toHaveLength(1);
  });
});
