// Deadlines that hold, over HTTP in the real sandbox: the clock moves, the sweep job runs, and the
// unanswered complaint is breached and escalated once; a case waiting for the customer is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaint } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

const supervisorLead = `lead.branch.${Date.now()}@care.example`;
const managerLead = `head.branch.${Date.now()}@care.example`;
const operationsLead = `lead.operations.${Date.now()}@care.example`;

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess({
    TEAM_LEADS: JSON.stringify({
      branch: { supervisor: supervisorLead, manager: managerLead },
      operations: { supervisor: operationsLead },
    }),
  });
});
afterAll(async () => {
  await sandbox?.stop();
});

interface TimelineEntry {
  kind: string;
  data?: { clock?: string };
}

const agentView = async (caseId: string) => {
  // A fresh token each time: tokens last 12 hours of the sandbox clock, which these tests move by days.
  const supervisor = sandbox.token('supervisor', 'sam');
  const response = await sandbox.api('GET', `/agent/cases/${caseId}`, { token: supervisor });
  expect(response.status).toBe(200);
  return response.body;
};

const advanceClock = async (duration: string) => {
  expect((await sandbox.api('POST', '/_sandbox/clock', { body: { advance: duration } })).status).toBe(200);
};

const runSweep = async () => {
  const response = await sandbox.api('POST', '/_sandbox/jobs/sla-sweep');
  expect(response.status).toBe(200);
  expect(response.body.drained).toBe(true);
  return response.body.result as { dueCases: number };
};

const mailsAbout = async (address: string, caseId: string) =>
  (await sandbox.emailsTo(address)).filter((mail) => mail.subject.includes(caseId));

const submitAndWaitForIntake = async (body: unknown, email: string) => {
  const submitted = await sandbox.api('POST', '/cases', { body });
  expect(submitted.status).toBe(201);
  await sandbox.waitFor(async () => (await sandbox.emailsTo(email)).length > 0, 'the acknowledgement');
  return submitted.body as { caseId: string; accessToken: string; deadlines: Record<string, string> };
};

describe('the SLA sweep in the sandbox', () => {
  let caseId: string;

  it('breaches the unanswered complaint after 2 h 10 min and escalates it to a supervisor, who is emailed', async () => {
    const email = `breach.${Date.now()}@example.com`;
    ({ caseId } = await submitAndWaitForIntake(aComplaint({ customer: { email } }), email));

    await advanceClock('PT2H10M');
    expect((await runSweep()).dueCases).toBeGreaterThanOrEqual(1);

    const view = await agentView(caseId);
    expect(view.escalationLevel).toBe(1);
    expect(view.clocks.firstResponse).toMatchObject({ state: 'breached', atRisk: true });
    expect(view.clocks.firstResponse.breachedAt).toBe(view.clocks.firstResponse.dueAt);
    const notices = await sandbox.waitFor(async () => {
      const mails = await mailsAbout(supervisorLead, caseId);
      return mails.length > 0 ? mails : null;
    }, 'the breach notice to the supervisor lead');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toContain('首次响应');
  });

  it('shows one breach on the timeline after three more sweeps', async () => {
    for (let run = 0; run < 3; run += 1) await runSweep();

    const view = await agentView(caseId);
    const breaches = view.timeline.filter((entry: TimelineEntry) => entry.kind === 'breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data.clock).toBe('firstResponse');
    expect(view.timeline.filter((entry: TimelineEntry) => entry.kind === 'escalated')).toHaveLength(1);
    expect(view.escalationLevel).toBe(1);
    expect(await mailsAbout(supervisorLead, caseId)).toHaveLength(1);
  });

  it('does not breach the resolution clock of a case waiting for the customer over 72 hours', async () => {
    // A damaged parcel: 48 hours to resolve, so 73 hours of waiting would breach an unpaused clock.
    const email = `waiting.${Date.now()}@example.com`;
    const submitted = await submitAndWaitForIntake(
      aComplaint({
        type: 'exception',
        category: 'damaged',
        subject: '包裹破损',
        description: '收到的包裹外箱破损，里面的杯子碎了。',
        customer: { email },
      }),
      email,
    );
    const alice = sandbox.token('agent', 'alice', 'alice@care.example');
    const act = async (action: string, body: unknown) => {
      const response = await sandbox.api('POST', `/agent/cases/${submitted.caseId}/${action}`, {
        token: alice,
        body,
      });
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    };
    await act('assign', {});
    await act('reply', { message: '您好，请提供包裹破损的照片，我们会尽快处理。' });
    await act('status', { status: 'awaiting_customer' });

    await advanceClock('PT73H');
    await runSweep();

    const view = await agentView(submitted.caseId);
    expect(view.status).toBe('awaiting_customer');
    expect(view.clocks.resolution).toMatchObject({ state: 'paused', breachedAt: null });
    expect(view.escalationLevel).toBe(0);
    expect(view.timeline.filter((entry: TimelineEntry) => entry.kind === 'breached')).toEqual([]);
    expect(await mailsAbout(operationsLead, submitted.caseId)).toEqual([]);

    // The customer answers: the clock runs again, with the waiting time added to its due time.
    const answered = await sandbox.api('POST', `/cases/${submitted.caseId}/messages`, {
      headers: { 'X-Case-Token': submitted.accessToken },
      body: { message: '照片已上传。' },
    });
    expect(answered.status).toBe(201);
    const now = (await sandbox.api('GET', '/_sandbox/clock')).body.now as string;
    const resumed = (await agentView(submitted.caseId)).clocks.resolution;
    expect(resumed.state).toBe('running');
    expect(resumed.dueAt > now).toBe(true);
  });
});

// The personal-data lifecycle on the same sandbox clock (API.md "Lifecycle", issue 8).
const runRetention = async () => {
  const response = await sandbox.api('POST', '/_sandbox/jobs/retention');
  expect(response.status).toBe(200);
  return response.body.result as { closed: number; anonymised: number; deleted: number; complete: boolean };
};

describe('retention in the sandbox', () => {
  it('closes a case resolved and left alone for 7 days, and anonymises it a year later', async () => {
    const email = `retention.${Date.now()}@example.com`;
    const phone = '+8613912348765';
    const submitted = await sandbox.api('POST', '/cases', {
      body: aComplaint({
        customer: { name: '赵六', email, phone },
        description: '快递员态度恶劣，请回电 139-1234-8765',
      }),
    });
    expect(submitted.status).toBe(201);
    const { caseId } = submitted.body as { caseId: string };
    await sandbox.waitFor(async () => (await sandbox.emailsTo(email)).length > 0, 'the acknowledgement');
    const alice = sandbox.token('agent', 'alice', 'alice@care.example');
    for (const [action, body] of [
      ['assign', {}],
      ['resolve', { resolution: '已向赵六道歉并批评快递员' }],
    ] as const) {
      const response = await sandbox.api('POST', `/agent/cases/${caseId}/${action}`, { token: alice, body });
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    }

    await advanceClock('P6D');
    await runRetention();
    expect((await agentView(caseId)).status).toBe('resolved');

    await advanceClock('P1DT1H');
    expect((await runRetention()).closed).toBeGreaterThanOrEqual(1);
    const closed = await agentView(caseId);
    expect(closed.status).toBe('closed');
    expect(closed.timeline.filter((entry: { kind: string }) => entry.kind === 'closed')).toEqual([
      expect.objectContaining({ actor: 'system' }),
    ]);

    await advanceClock('P366D');
    expect((await runRetention()).anonymised).toBeGreaterThanOrEqual(1);
    const anonymised = await agentView(caseId);
    const serialised = JSON.stringify(anonymised);
    for (const personal of ['赵六', email, '13912348765', '139-1234-8765'])
      expect(serialised).not.toContain(personal);
    expect(anonymised).toMatchObject({ caseId, status: 'closed' });
    expect(anonymised.timeline.map((entry: { kind: string }) => entry.kind)).toContain('anonymised');
  });
});
