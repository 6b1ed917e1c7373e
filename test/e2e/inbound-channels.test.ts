// Channels in on the real sandbox (issue 16): a GBK email to SMTP_PORT opens a case and is acknowledged
// with the case number; a reply to that acknowledgement lands on the case without the quoted original;
// an auto-reply opens and sends nothing; a text from a case's phone lands on it, and 退订 opts it out.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbkComplaint, gbkReply } from '../fixtures/inbound-mail.ts';
import { anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';
import { sendMail } from '../support/smtp-client.ts';

let sandbox: SandboxProcess;
let smtpPort: number;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
  smtpPort = Number(sandbox.env.SMTP_PORT);
});
afterAll(async () => {
  await sandbox?.stop();
});

const serviceAddress = 'care@parcel-care.example';
const unique = (name: string) => `${name}.${randomBytes(3).toString('hex')}@example.com`;

/** Every queue drained: what the sandbox received has been handled, acknowledgements included. */
async function drained() {
  expect((await sandbox.api('POST', '/_sandbox/jobs/sla-sweep')).body).toMatchObject({ drained: true });
}

async function agentView(caseId: string) {
  const token = sandbox.token('agent', 'alice', 'alice@carrier.example');
  const response = await sandbox.api('GET', `/agent/cases/${caseId}`, { token });
  expect(response.status).toBe(200);
  return response.body as {
    status: string;
    channel: string;
    timeline: Array<{ kind: string; message: string; channel?: string; data?: Record<string, unknown> }>;
  };
}

describe('email in', () => {
  it('opens a case from a GBK email, acknowledges it, and threads the reply onto it without the quote', async () => {
    const sender = unique('zhangsan');
    await sendMail(
      smtpPort,
      { from: sender, to: [serviceAddress] },
      gbkComplaint({ from: `=?GBK?B?1cXI/Q==?= <${sender}>` }),
    );
    const [ack] = await sandbox.waitFor(
      async () => {
        const emails = await sandbox.emailsTo(sender);
        return emails.length > 0 && emails;
      },
      'the acknowledgement',
      30_000,
    );
    const caseId = /CS\d{10,13}[A-Z]{2}/.exec(ack!.subject)?.[0];
    expect(caseId).toBeDefined();
    const replyTo = ack!.replyTo?.[0];
    expect(replyTo).toMatch(
      new RegExp(`^care\\+${caseId!.toLowerCase()}\\.[0-9a-f]{16}@parcel-care\\.example$`),
    );
    expect(await agentView(caseId!)).toMatchObject({ channel: 'email' });

    await sendMail(
      smtpPort,
      { from: sender, to: [replyTo!] },
      gbkReply({ from: sender, to: replyTo!, subject: `Re: ${ack!.subject}` }),
    );
    const message = await sandbox.waitFor(
      async () => (await agentView(caseId!)).timeline.find((entry) => entry.kind === 'customer_message'),
      'the reply on the timeline',
      30_000,
    );
    expect(message).toMatchObject({ message: '已经收到包裹了，但外包装破损。', channel: 'email' });
    // The customer's page shows it too, with its channel.
    expect(message.message).not.toContain('写道');
  });

  it('opens nothing and sends nothing for an auto-reply', async () => {
    const robot = unique('vacation');
    const token = sandbox.token('supervisor', 'sue');
    const before = (await sandbox.api('GET', '/agent/cases?status=open&limit=100', { token })).body.cases
      .length;
    await sendMail(
      smtpPort,
      { from: robot, to: [serviceAddress] },
      gbkComplaint({ from: robot, headers: { 'Auto-Submitted': 'auto-replied' } }),
    );
    await drained();
    expect(await sandbox.emailsTo(robot)).toEqual([]);
    const after = (await sandbox.api('GET', '/agent/cases?status=open&limit=100', { token })).body.cases
      .length;
    expect(after).toBe(before);
  });
});

describe('SMS in', () => {
  it('puts a text from the phone of an open case on that case, and 退订 opts the phone out', async () => {
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const submitted = await sandbox.api('POST', '/cases', {
      body: anInquiry({ customer: { email: undefined, phone } }),
    });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId as string;
    await drained();

    const sent = await sandbox.api('POST', '/_sandbox/sms/inbound', {
      body: { from: phone, body: '请问什么时候能送到？' },
    });
    expect(sent.status).toBe(202);
    const message = await sandbox.waitFor(
      async () => (await agentView(caseId)).timeline.find((entry) => entry.kind === 'customer_message'),
      'the text on the timeline',
      30_000,
    );
    expect(message).toMatchObject({ message: '请问什么时候能送到？', channel: 'sms' });

    expect(
      (await sandbox.api('POST', '/_sandbox/sms/inbound', { body: { from: phone, body: '退订' } })).status,
    ).toBe(202);
    await drained();
    // An agent's reply would go out by SMS: the phone opted out, so it is suppressed.
    const agent = sandbox.token('agent', 'alice', 'alice@carrier.example');
    const reply = await sandbox.api('POST', `/agent/cases/${caseId}/reply`, {
      token: agent,
      body: { message: '预计明天送达。' },
    });
    expect(reply.status).toBeLessThan(300);
    await drained();
    const timeline = (await agentView(caseId)).timeline;
    expect(timeline.find((entry) => entry.kind === 'notification_suppressed')).toMatchObject({
      data: { reason: 'opted_out' },
    });
  });
});
