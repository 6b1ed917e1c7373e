// Email and SMS in (issue 16), through the event shapes AWS delivers: SES's S3-action receipt notification
// and End User Messaging SMS's two-way message, each in SNS's envelope on its SQS queue, the raw mail in
// S3 (fauxqs serves S3 too). Then intake and delivery, to the acknowledgement in the SES emulator.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import { parseInboundEmail } from '#adapters/inbound-mail-parser';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as inboundEmailConsumer } from '#functions/queue/inbound-email-consumer';
import { handler as inboundSmsConsumer } from '#functions/queue/inbound-sms-consumer';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import type { QueueName } from '#shared/work-queues';
import type { Dependencies } from '#use-cases/ports';
import { receiveEmail } from '#use-cases/receive-email';
import { gbkComplaint, gbkReply, rawMail } from '../fixtures/inbound-mail.ts';
import { anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  uniqueEmail,
  uniqueMobile,
} from '../support/integration-environment.ts';
import { storeAcceptedCase } from '../support/stored-cases.ts';
import { awaitingCustomer } from '../support/support-cases.ts';

const serviceAddress = 'care@inbound.parcel-care.example';
const bucket = `inbound-mail-${randomUUID().slice(0, 8)}`;
let env: IntegrationEnvironment;
let deps: Dependencies;
let s3: S3Client;

beforeAll(async () => {
  process.env.INBOUND_EMAIL_ADDRESS = serviceAddress;
  env = await createIntegrationEnvironment();
  deps = await dependencies();
  s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

/** What SNS puts on the queue (raw delivery off) around a service's JSON message. */
async function publishToQueue(queue: QueueName, message: object): Promise<void> {
  const envelope = {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: `arn:aws:sns:us-east-1:123456789012:parcel-care-dev-${queue}`,
    Timestamp: new Date().toISOString(),
    Message: JSON.stringify(message),
    SignatureVersion: '1',
  };
  await env.sqs.send(
    new SendMessageCommand({ QueueUrl: env.queues[queue].url, MessageBody: JSON.stringify(envelope) }),
  );
}

/** SES receiving: the raw message stored by the S3 action, then its notification through SNS. */
async function receiveMail(raw: string, options: { recipients?: string[]; spam?: string } = {}) {
  const messageId = randomUUID().replaceAll('-', '');
  const key = `inbound/${messageId}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw }));
  await publishToQueue('inboundEmail', {
    notificationType: 'Received',
    mail: { timestamp: new Date().toISOString(), source: 'sender@example.com', messageId },
    receipt: {
      timestamp: new Date().toISOString(),
      recipients: options.recipients ?? [serviceAddress],
      spamVerdict: { status: options.spam ?? 'PASS' },
      virusVerdict: { status: 'PASS' },
      action: { type: 'S3', bucketName: bucket, objectKeyPrefix: 'inbound/', objectKey: key },
    },
  });
  await drainQueue(env, 'inboundEmail', inboundEmailConsumer);
  await drainQueue(env, 'intake', intakeConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
}

async function receiveSms(from: string, body: string) {
  await publishToQueue('inboundSms', {
    originationNumber: from,
    destinationNumber: '+8610690000',
    messageKeyword: 'KEYWORD_123456789012',
    messageBody: body,
    inboundMessageId: randomUUID(),
  });
  await drainQueue(env, 'inboundSms', inboundSmsConsumer);
  await drainQueue(env, 'intake', intakeConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
}

async function casesOf(contact: string) {
  const refs = await deps.contacts.findCasesByContact([deps.keyring.hashContact(contact)], '2000-01-01');
  return Promise.all(refs.map(async (ref) => (await deps.cases.getCaseWithTimeline(ref.caseId))!));
}

describe('email in', () => {
  it('opens a case from a GBK email, acknowledges it with the case number and a signed Reply-To', async () => {
    const sender = uniqueEmail('zhangsan');
    await receiveMail(gbkComplaint({ from: `=?GBK?B?1cXI/Q==?= <${sender}>` }));
    const [opened] = await casesOf(sender);
    expect(opened?.supportCase).toMatchObject({
      channel: 'email',
      type: 'complaint',
      category: 'service',
      categorySource: 'inferred',
      trackingNumber: 'SF1234567890123',
      subject: '投诉：快递员态度恶劣',
      customer: { name: '张三', email: sender, locale: 'zh-CN' },
    });
    const caseId = opened!.supportCase.caseId;
    const [ack] = await emailsTo(env, sender);
    expect(ack?.subject).toContain(caseId);
    expect(ack?.replyTo).toEqual([
      `care+${caseId.toLowerCase()}.${deps.keyring.replyTag(caseId)}@inbound.parcel-care.example`,
    ]);
  });

  it('adds a reply to its case without the quoted original, and opens nothing new', async () => {
    const sender = uniqueEmail('reply');
    await receiveMail(gbkComplaint({ from: sender }));
    const [opened] = await casesOf(sender);
    const caseId = opened!.supportCase.caseId;
    const [ack] = await emailsTo(env, sender);
    const replyAddress = ack!.replyTo![0]!;
    await receiveMail(gbkReply({ from: sender, to: replyAddress, subject: `Re: ${ack!.subject}` }), {
      recipients: [replyAddress],
    });
    const cases = await casesOf(sender);
    expect(cases).toHaveLength(1);
    const message = cases[0]!.timeline.find((entry) => entry.kind === 'customer_message');
    expect(message).toMatchObject({ message: '已经收到包裹了，但外包装破损。', data: { channel: 'email' } });
    expect(caseId).toBe(cases[0]!.supportCase.caseId);
  });

  it('never joins a case by its subject alone, nor with a forged reply address', async () => {
    const sender = uniqueEmail('forger');
    await receiveMail(gbkComplaint({ from: sender }));
    const [opened] = await casesOf(sender);
    const caseId = opened!.supportCase.caseId;
    const forged = `care+${caseId.toLowerCase()}.0000000000000000@inbound.parcel-care.example`;
    await receiveMail(gbkReply({ from: sender, to: forged, subject: `Re: 工单 ${caseId}` }), {
      recipients: [forged],
    });
    await receiveMail(gbkReply({ from: sender, subject: `Re: 工单 ${caseId}` }));
    const cases = await casesOf(sender);
    expect(cases).toHaveLength(3);
    expect(cases.every((c) => !c.timeline.some((entry) => entry.kind === 'customer_message'))).toBe(true);
  });

  it('opens nothing and sends nothing for an auto-reply, a bounce, spam or a suppressed sender', async () => {
    const count = vi.spyOn(deps.metrics, 'count');
    const sender = uniqueEmail('robot');
    await receiveMail(gbkComplaint({ from: sender, headers: { 'Auto-Submitted': 'auto-replied' } }));
    await receiveMail(gbkComplaint({ from: sender }), { spam: 'FAIL' });
    await receiveMail(
      rawMail(
        { from: 'MAILER-DAEMON@example.com', headers: { 'X-Failed-Recipients': sender } },
        'text/plain',
        'aGk=',
      ),
    );
    const suppressed = uniqueEmail('bounced');
    await deps.contacts.suppressContact(deps.keyring.hashContact(suppressed), {
      reason: 'bounce',
      at: new Date().toISOString(),
      channel: 'email',
    });
    await receiveMail(gbkComplaint({ from: suppressed }));
    expect(await casesOf(sender)).toEqual([]);
    expect(await casesOf(suppressed)).toEqual([]);
    expect(await emailsTo(env, sender)).toEqual([]);
    const reasons = count.mock.calls
      .filter(([name]) => name === 'InboundMessageIgnored')
      .map(([, dimensions]) => dimensions.reason);
    expect(reasons).toEqual(['auto_reply', 'spam', 'bounce', 'suppressed']);
    count.mockRestore();
  });
});

describe('email attachments', () => {
  it('stores a photo that came with the email like an upload, and leaves out a program', async () => {
    const sender = uniqueEmail('photos');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2_000, 7)]);
    const raw = [
      `From: ${sender}`,
      `To: ${serviceAddress}`,
      'Subject: =?UTF-8?B?5YyF6KO556C05o2f?=',
      `Message-ID: <${randomUUID()}@example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      '快递 SF1234567890123 外包装破损，照片见附件。',
      '--b1',
      'Content-Type: image/jpeg; name="=?UTF-8?B?56C05o2f54Wn54mHLmpwZw==?="',
      'Content-Disposition: attachment; filename="=?UTF-8?B?56C05o2f54Wn54mHLmpwZw==?="',
      'Content-Transfer-Encoding: base64',
      '',
      ...(jpeg.toString('base64').match(/.{1,76}/g) ?? []),
      '--b1',
      'Content-Type: application/octet-stream; name="setup.exe"',
      'Content-Disposition: attachment; filename="setup.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('MZ program').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    await receiveMail(raw);
    const [opened] = await casesOf(sender);
    const attachments = await deps.attachments.list(opened!.supportCase.caseId);
    expect(attachments).toEqual([
      expect.objectContaining({
        fileName: '破损照片.jpg',
        contentType: 'image/jpeg',
        size: jpeg.length,
        state: 'uploaded',
        source: 'email',
      }),
    ]);
  });
});

describe('the launch-day limits, per sender', () => {
  it('open a sender’s cases up to the hourly limit; the next message opens nothing and is counted', async () => {
    const count = vi.spyOn(deps.metrics, 'count');
    const limited = { ...deps, limits: { ...deps.limits, recipientCasesPerHour: 2 } };
    const sender = uniqueEmail('prolific');
    const outcomes = [];
    for (let message = 0; message < 3; message += 1) {
      outcomes.push(await receiveEmail(await parseInboundEmail(gbkComplaint({ from: sender })), limited));
    }
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['opened', 'opened', 'ignored']);
    expect(outcomes[2]).toEqual({ outcome: 'ignored', reason: 'rate_limited' });
    expect(count).toHaveBeenCalledWith('RateLimited', { limit: 'recipient_cases_per_hour' });
    expect(await casesOf(sender)).toHaveLength(2);
    count.mockRestore();
  });
});

describe('SMS in', () => {
  it('adds a text from the phone of an open case to that case, as an SMS message', async () => {
    const phone = uniqueMobile();
    const submitted = await callApi(submitCase, {
      method: 'POST',
      routeKey: 'POST /cases',
      path: '/cases',
      body: anInquiry({ customer: { email: undefined, phone } }),
    });
    expect(submitted.status).toBe(201);
    await drainQueue(env, 'intake', intakeConsumer);
    await receiveSms(phone, '请问什么时候能送到？');
    const cases = await casesOf(phone);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.timeline.find((entry) => entry.kind === 'customer_message')).toMatchObject({
      message: '请问什么时候能送到？',
      data: { channel: 'sms' },
    });
  });

  it('goes to the most recent open case of the phone, and resumes it when it waits for the customer', async () => {
    const phone = uniqueMobile();
    const phoneCase = (receivedAt: Date) =>
      storeAcceptedCase(deps, {
        receivedAt,
        submission: { customer: { name: '李四', phone, type: 'individual', locale: 'zh-CN' } },
        contactHashes: [deps.keyring.hashContact(phone)],
      });
    await phoneCase(new Date(Date.now() - 3 * 86_400_000));
    const latest = (await phoneCase(new Date(Date.now() - 86_400_000))).supportCase;
    await deps.cases.saveCase(awaitingCustomer(latest, new Date()), {});
    await receiveSms(phone, '地址是朝阳区建国路 88 号。');
    const [older, newer] = (await casesOf(phone)).sort((a, b) =>
      a.supportCase.createdAt.localeCompare(b.supportCase.createdAt),
    );
    expect(newer!.supportCase).toMatchObject({ caseId: latest.caseId, status: 'in_progress' });
    expect(newer!.timeline.some((entry) => entry.kind === 'customer_message')).toBe(true);
    expect(older!.timeline.some((entry) => entry.kind === 'customer_message')).toBe(false);
  });

  it('opens an inquiry for a phone without an open case', async () => {
    const phone = uniqueMobile();
    await receiveSms(phone, '运费怎么算？');
    const [opened] = await casesOf(phone);
    expect(opened?.supportCase).toMatchObject({
      type: 'inquiry',
      channel: 'sms',
      description: '运费怎么算？',
      customer: { phone, locale: 'zh-CN' },
    });
  });

  it('opts the phone out on 退订, STOP or TD: it joins the suppression list, and opens nothing', async () => {
    for (const word of ['退订', ' stop ', 'Td']) {
      const phone = uniqueMobile();
      await receiveSms(phone, word);
      expect(await deps.contacts.getSuppression(deps.keyring.hashContact(phone))).toMatchObject({
        reason: 'opted_out',
        channel: 'sms',
      });
      expect(await casesOf(phone)).toEqual([]);
    }
  });
});
