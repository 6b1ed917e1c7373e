// A deadline that counts working days of a provisional calendar year (2027 until its official notice is
// loaded into the service policy) is approximate in the agent view and marked "provisional" in the workspace.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
let browser: Browser;
beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startSandboxProcess(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

interface AgentClock {
  dueAt: string;
  approximate?: true;
}

describe('a working-day deadline in June 2027', () => {
  let caseId: string;

  it('is approximate on the clock in the agent view', async () => {
    // Monday 7 June 2027, 10:00 in Shanghai: a suggestion's 3 working days run over Dragon Boat (Wed 9 June).
    const moved = await sandbox.api('POST', '/_sandbox/clock', { body: { set: '2027-06-07T02:00:00.000Z' } });
    expect(moved.status).toBe(200);
    const submitted = await sandbox.api('POST', '/cases', {
      body: {
        type: 'suggestion',
        subject: '建议增加夜间派送',
        description: '希望晚上也能派送快递，方便上班族。',
        customer: { name: '李四', email: `lisi.${Date.now()}@example.com`, locale: 'zh-CN' },
        consent: { dataProcessing: true },
      },
    });
    expect(submitted.status).toBe(201);
    caseId = submitted.body.caseId;
    const token = sandbox.token('agent', 'alice');
    const view = await sandbox.waitFor(async () => {
      const response = await sandbox.api('GET', `/agent/cases/${caseId}`, { token });
      return response.body.status === 'open' ? response.body : null;
    }, 'intake of the suggestion');
    const clocks = view.clocks as Record<string, AgentClock>;
    expect(clocks.resolution).toMatchObject({ dueAt: '2027-06-11T16:00:00.000Z', approximate: true });
    expect(clocks.firstResponse?.approximate).toBeUndefined();
  });

  it('shows "provisional" beside that due time in the workspace, and beside no other', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${sandbox.url}/workspace/cases/${caseId}`);
    await page.getByLabel('Role').selectOption('agent');
    await page.getByLabel('Name').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('case-id').waitFor();
    const rows = page.locator('section[aria-labelledby="clocks-heading"] tbody tr');
    await rows.first().waitFor();
    const marked = rows.filter({ has: page.locator('.badge.provisional') });
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toMatch(/^Resolution.*provisional/);
  });
});
