// The abuse limits at the sandbox's defaults, over HTTP: a developer's own traffic from loopback passes,
// while one address named by 20 submissions within a minute gets no more acknowledgements than the
// per-recipient limit (the production value) allows; the other cases are stored, and say why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionLimits, sandboxLimits } from '#shared/abuse-limits';
import { aComplaint, anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('abuse limits in the sandbox', () => {
  it('lets more submissions from loopback through than production allows one IP', async () => {
    expect(sandboxLimits.sourcePerMinute).toBeGreaterThanOrEqual(300);
    const count = productionLimits.sourcePerMinute + 5;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        sandbox.api('POST', '/cases', {
          body: anInquiry({ customer: { email: `burst.${n}.${Date.now()}@example.com` } }),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(count).fill(201));
  });

  it(`sends one address at most ${productionLimits.recipientCasesPerHour} acknowledgements for 20 submissions within a minute`, async () => {
    const email = `target.${Date.now()}@example.com`;
    const answers: Array<{ status: number; body: { caseId: string } }> = [];
    for (let n = 0; n < 20; n += 1) {
      answers.push(await sandbox.api('POST', '/cases', { body: aComplaint({ customer: { email } }) }));
    }
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const agent = sandbox.token('agent', 'alice', 'alice@carrier.example');
    const skipped = await sandbox.waitFor(async () => {
      let found = 0;
      for (const { body } of answers) {
        const view = await sandbox.api('GET', `/agent/cases/${body.caseId}`, { token: agent });
        const timeline = (view.body?.timeline ?? []) as Array<{ kind: string; data?: { limit?: string } }>;
        if (timeline.some((entry) => entry.kind === 'notification_skipped' && entry.data?.limit)) found += 1;
      }
      return found >= 20 - productionLimits.recipientCasesPerHour ? found : null;
    }, 'the skipped acknowledgements on the timelines');
    expect(skipped).toBe(20 - productionLimits.recipientCasesPerHour);
    const acknowledgements = (await sandbox.emailsTo(email)).filter((mail) =>
      mail.subject.includes('已受理'),
    );
    expect(acknowledgements).toHaveLength(productionLimits.recipientCasesPerHour);
    for (const mail of acknowledgements) expect(mail.subject).not.toContain('快递员');
  }, 120_000);
});
