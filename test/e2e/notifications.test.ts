// SES's bounce simulator, end to end in the real sandbox: mail to bounce@simulator.amazonses.com comes
// back as an SES bounce event on the emailEvents queue, and the address gets nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('the bounce simulator', () => {
  it('suppresses an address after SES reports its bounce, so a later case sends it nothing', async () => {
    const address = 'bounce@simulator.amazonses.com';
    const first = await sandbox.api('POST', '/cases', { body: anInquiry({ customer: { email: address } }) });
    expect(first.status).toBe(201);
    await sandbox.waitFor(async () => (await sandbox.emailsTo(address)).length === 1, 'the first email');
    // The simulator looks at the SES store every 500 ms; the jobs route then waits for every queue to drain.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await sandbox.api('POST', '/_sandbox/jobs/survey-dispatch')).body).toMatchObject({
      drained: true,
    });

    const second = await sandbox.api('POST', '/cases', { body: anInquiry({ customer: { email: address } }) });
    expect(second.status).toBe(201);
    const drained = await sandbox.api('POST', '/_sandbox/jobs/survey-dispatch');
    expect(drained.body).toMatchObject({ drained: true });
    expect(await sandbox.emailsTo(address)).toHaveLength(1);
    const queues = (await sandbox.api('GET', '/_sandbox/queues')).body.queues as Array<{
      deadLetters: number;
    }>;
    expect(queues.every((queue) => queue.deadLetters === 0)).toBe(true);
  });
});
