// The pages in a real browser against the real sandbox (issue 9): the customer opens the links of their
// emails on a phone-sized screen, an agent and a supervisor work the case in the workspace, a breach
// email opens the workspace on its case after sign-in, and /docs lists every route.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedRouteKeys } from '../../infra/tools/print-openapi.ts';
import { axeViolations, launchChromium, screenshotForReadme } from '../support/browser.ts';
import { aComplaint, anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

const lead = `lead.${Date.now()}@care.example`;
const customerEmail = `wang.${Date.now()}@example.com`;

let sandbox: SandboxProcess;
let browser: Browser;
let phone: BrowserContext;
let desk: BrowserContext;

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([
    startSandboxProcess({
      SURVEY_DELAY_MINUTES: '0',
      TEAM_LEADS: JSON.stringify(
        Object.fromEntries(
          ['security', 'branch', 'operations', 'finance', 'service'].map((team) => [
            team,
            { supervisor: lead },
          ]),
        ),
      ),
    }),
    launchChromium(),
  ]);
  phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    isMobile: true,
  });
  desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const story: {
  caseId?: string;
  otherCaseId?: string;
  caseLink?: string;
  customerPage?: Page;
  workspace?: Page;
} = {};

/** The first link to `pathPart` in the newest email to `address` whose subject or text has `containing`. */
async function linkInEmail(address: string, containing: string, pathPart: string): Promise<string> {
  const mail = await sandbox.waitFor(async () => {
    const mails = await sandbox.emailsTo(address);
    return mails.reverse().find((m) => `${m.subject}\n${m.body.text ?? ''}`.includes(containing)) ?? null;
  }, `an email with ${containing} to ${address}`);
  const link = (mail.body.text ?? '').match(new RegExp(`https?://\\S+${pathPart}\\S*`))?.[0];
  expect(link, mail.body.text).toBeDefined();
  return link!;
}

/** Waits for what the page shows after an action (the API call and the re-render take their time). */
const eventually = <T>(probe: () => Promise<T>) => expect.poll(probe, { timeout: 15_000, interval: 100 });

async function expectAccessible(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

async function signIn(page: Page, role: string, name: string) {
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`${name} (${role})`).waitFor();
}

describe('the customer’s case page', () => {
  it('opens from the acknowledgement email with the case number and the status in Chinese', async () => {
    // An inquiry first, so the complaint has to be ranked above it in the queue.
    const other = await sandbox.api('POST', '/cases', {
      body: anInquiry({ customer: { email: `other.${Date.now()}@example.com` } }),
    });
    story.otherCaseId = other.body.caseId;
    const submitted = await sandbox.api('POST', '/cases', {
      body: aComplaint({ customer: { email: customerEmail } }),
    });
    expect(submitted.status).toBe(201);
    story.caseId = submitted.body.caseId;

    story.caseLink = await linkInEmail(customerEmail, story.caseId!, '/case/');
    expect(story.caseLink).toBe(
      `${sandbox.url}/case/${story.caseId}#token=${encodeURIComponent(submitted.body.accessToken)}`,
    );

    const page = await phone.newPage();
    story.customerPage = page;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(story.caseLink);
    await eventually(() => page.getByTestId('case-number').textContent()).toBe(story.caseId);
    expect(await page.getByTestId('case-status').textContent()).toMatch(/^(已受理|待处理)$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('工单进度');
    expect(await page.textContent('body')).toContain('北京时间');
    // The token left the address bar and went in no URL the page asked for.
    expect(page.url()).toBe(`${sandbox.url}/case/${story.caseId}`);
    expect(requests.filter((url) => url.includes(submitted.body.accessToken))).toEqual([]);
    expect(await page.getAttribute('meta[name="referrer"]', 'content')).toBe('no-referrer');
    await expectAccessible(page);
  });

  it('switches to English and back', async () => {
    const page = story.customerPage!;
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await eventually(() => page.getByTestId('case-status').textContent()).toMatch(/^(Received|Open)$/);
    await eventually(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await eventually(() => page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  it('adds a message, which appears on the timeline', async () => {
    const page = story.customerPage!;
    await page.getByLabel('给客服留言').fill('补充：快递员工号是 SF-0451。');
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByText('已发送，客服会尽快处理。').waitFor();
    await page.getByText('补充：快递员工号是 SF-0451。').waitFor();
    // Each customer message shows the channel it came by (issue 16): this one, the case page.
    await page
      .locator('.timeline li', { hasText: '补充：快递员工号是 SF-0451。' })
      .locator('.channel-tag', { hasText: '网页' })
      .waitFor();
    await screenshotForReadme(page, 'customer-case-mobile');
  });

  it('uploads a photo of the damage straight to S3, listed with its size; a .exe is refused in words', async () => {
    const page = story.customerPage!;
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20_476, 3)]);
    await page
      .getByLabel('选择照片或 PDF')
      .setInputFiles({ name: '破损照片.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: '上传' }).click();
    await eventually(() => page.getByTestId('attachments').textContent()).toContain('破损照片.jpg (20 KB)');
    await expectAccessible(page);

    await page.getByLabel('选择照片或 PDF').setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByText('只能上传图片或 PDF。').waitFor();
  });

  it('shows an API error in words, never as JSON', async () => {
    const page = await phone.newPage();
    await page.goto(`${sandbox.url}/case/${story.caseId}#token=not-the-token`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('找不到这个工单');
    expect(await page.textContent('body')).not.toContain('"error"');
    await page.close();
  });
});

describe('the agent workspace', () => {
  it('signs an agent in, with the complaint at the top of the queue', async () => {
    const page = await desk.newPage();
    story.workspace = page;
    await page.goto(`${sandbox.url}/workspace/`);
    await expectAccessible(page);
    await signIn(page, 'agent', 'alice');
    const firstRow = page.locator('table.queue tbody tr').first();
    await firstRow.waitFor();
    expect(await firstRow.getAttribute('data-case-id')).toBe(story.caseId);
    expect(await page.locator('table.queue tbody tr').count()).toBe(2);
    expect(await firstRow.textContent()).toMatch(/left/);
    await expectAccessible(page);
    await screenshotForReadme(page, 'workspace-queue');
  });

  it('takes the case and replies; the customer’s page shows the reply', async () => {
    const page = story.workspace!;
    await page.getByRole('link', { name: story.caseId! }).click();
    await page.getByTestId('case-id').waitFor();
    expect(page.url()).toBe(`${sandbox.url}/workspace/cases/${story.caseId}`);
    // Not yet hers and not her team's: masked, until she gives a reason (kept on the audit trail).
    await page.getByText('Contact details are masked for you.').waitFor();
    expect(await page.textContent('body')).not.toContain(customerEmail);
    await page.getByLabel('Reason to see them (kept on the audit trail)').fill('客户来电，核对联系方式');
    await page.getByRole('button', { name: 'Show contact details' }).click();
    await page.getByText(customerEmail).waitFor();
    await page
      .getByTestId('timeline')
      .getByText(/reason: 客户来电，核对联系方式/)
      .waitFor();
    await page.locator('details[data-action="assign"] summary').click();
    await page.getByRole('button', { name: 'Take it' }).click();
    await eventually(() => page.getByTestId('handler').textContent()).toBe('alice');

    await page.getByLabel('Message').fill('您好，我们已联系网点负责人核实，今天内回复您。');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByTestId('timeline').getByText('您好，我们已联系网点负责人核实').waitFor();
    await page.getByLabel('Internal note (the customer does not see it)').check();
    await page.getByLabel('Message').fill('网点主管电话已记录。');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.timeline li.internal').getByText('网点主管电话已记录。').waitFor();
    // The customer's message from the case page, marked with its channel.
    await page
      .getByTestId('timeline')
      .locator('li', { hasText: '补充：快递员工号是 SF-0451。' })
      .locator('.channel-tag', { hasText: 'via web' })
      .waitFor();
    expect(await page.locator('details[data-action="close"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshotForReadme(page, 'workspace-case');

    const photo = page.getByTestId('attachments').getByRole('link', { name: '破损照片.jpg' });
    const href = await photo.getAttribute('href');
    expect((await page.request.get(href!)).headers()['content-type']).toBe('image/jpeg');

    const customer = story.customerPage!;
    await customer.reload();
    await customer.getByText('您好，我们已联系网点负责人核实，今天内回复您。').waitFor();
    expect(await customer.textContent('body')).not.toContain('网点主管电话已记录');
  });

  it('resolves with 800 CNY compensation as a supervisor', async () => {
    const page = story.workspace!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'supervisor', 'sue');
    await page.getByTestId('case-id').waitFor();
    await page.locator('details[data-action="resolve"] summary').click();
    await page
      .getByLabel('Resolution (sent to the customer)')
      .fill('经核实，网点将赔偿您 800 元并当面致歉。');
    await page.locator('#resolve-mode').selectOption('amount');
    await page.getByLabel('Amount (CNY)').fill('800');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await eventually(() => page.getByTestId('case-status').textContent()).toBe('Resolved');
    expect(await page.getByTestId('compensation').textContent()).toContain('800 CNY');
    expect(await page.getByTestId('compensation').textContent()).toContain('approved by sue');
  });
});

describe('the survey and the appeal', () => {
  it('rates from the survey email’s link in two clicks, and the rating shows in the agent’s view', async () => {
    expect((await sandbox.api('POST', '/_sandbox/jobs/survey-dispatch')).status).toBe(200);
    const surveyLink = await linkInEmail(customerEmail, '评价', '/case/');
    expect(surveyLink).toContain(`/case/${story.caseId}?rate=1#token=`);
    const page = await phone.newPage();
    await page.goto(surveyLink);
    await page.getByRole('heading', { name: '评价本次服务' }).waitFor();
    await page.locator('.stars label').nth(3).click(); // 4 of 5
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('您已评价过本工单').waitFor();
    await expectAccessible(page);

    const workspace = story.workspace!;
    await workspace.reload();
    await eventually(() => workspace.getByTestId('feedback').textContent()).toContain('4/5');
    await page.close();
  });

  it('appeals the resolved case', async () => {
    const page = story.customerPage!;
    await page.reload();
    await page.getByLabel('申诉理由').fill('赔偿金额不足以弥补损失。');
    await page.getByRole('button', { name: '提交申诉' }).click();
    await eventually(() => page.getByTestId('case-status').textContent()).toBe('申诉处理中');
  });
});

describe('links in staff emails', () => {
  it('opens the workspace on the breached case after sign-in', async () => {
    await sandbox.api('POST', '/_sandbox/clock', { body: { advance: 'PT4H30M' } });
    expect((await sandbox.api('POST', '/_sandbox/jobs/sla-sweep')).status).toBe(200);
    const link = await linkInEmail(lead, story.otherCaseId!, '/workspace/cases/');
    expect(link).toBe(`${sandbox.url}/workspace/cases/${story.otherCaseId}`);
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await fresh.newPage();
    await page.goto(link);
    await signIn(page, 'supervisor', 'sam');
    await eventually(() => page.getByTestId('case-id').textContent()).toBe(story.otherCaseId);
    await page.locator('tr.breached').first().waitFor();

    // The supervisor's report: SLA compliance per clock and CSAT over time, charted.
    await page.getByRole('link', { name: 'Report' }).click();
    await page.getByRole('img', { name: 'SLA compliance per clock, percent met' }).waitFor();
    await page.getByRole('img', { name: 'Average CSAT by day, 1 to 5' }).waitFor();
    expect(await page.getByRole('heading', { name: 'CSAT over time' }).count()).toBe(1);
    await eventually(() => page.locator('.stats').textContent()).toContain('CSAT average4.00');
    await expectAccessible(page);
    await fresh.close();
  });
});

describe('the API reference', () => {
  it('lists every route at /docs', async () => {
    const page = await desk.newPage();
    await page.goto(`${sandbox.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    const listed = await page
      .locator('.opblock-summary')
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector('.opblock-summary-method')?.textContent?.trim()} ${block.querySelector('[data-path]')?.getAttribute('data-path')}`,
        ),
      );
    expect([...listed].sort()).toEqual([...deployedRouteKeys()].sort());
    await page.close();
  });
});
