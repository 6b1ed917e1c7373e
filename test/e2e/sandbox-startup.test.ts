import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');

describe('sandbox start-up', () => {
  it('stops with one line naming the fix when java is not on the PATH', () => {
    const emptyBin = mkdtempSync(path.join(tmpdir(), 'no-java-'));
    const result = spawnSync(process.execPath, ['infra/sandbox/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, PATH: emptyBin, SANDBOX_DIR: mkdtempSync(path.join(tmpdir(), 'sandbox-')) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17/);
    expect(lines[0]).toMatch(/apt-get install openjdk-17-jre-headless/);
  });

  it('refuses a port variable that is not a port', () => {
    const result = spawnSync(process.execPath, ['infra/sandbox/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/PORT must be a port number/);
  });
});

describe('a port in use', () => {
  it('names the service, its variable and the likely cause in one line, and exits non-zero', async () => {
    const { freePort } = await import('../../infra/sandbox/emulators.ts');
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', () => resolve()));
    const address = held.address();
    const sqsPort = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = spawnSync(process.execPath, ['infra/sandbox/main.ts'], {
        cwd: projectRoot,
        env: {
          ...process.env,
          PORT: String(await freePort()),
          DYNAMODB_PORT: String(await freePort()),
          SES_PORT: String(await freePort()),
          SQS_PORT: String(sqsPort),
          SANDBOX_DIR: mkdtempSync(path.join(tmpdir(), 'sandbox-')),
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/SQS emulator \(fauxqs\)/);
      expect(lines[0]).toContain(`127.0.0.1:${sqsPort}`);
      expect(lines[0]).toMatch(/SQS_PORT=/);
      expect(lines[0]).toMatch(/another sandbox running/);
    } finally {
      held.close();
    }
  });
});

describe('sandbox data', () => {
  it('keeps cases, tokens, the clock, the inbox and the SMS log across a restart; npm run reset forgets them', async () => {
    const { startSandboxProcess } = await import('../support/sandbox-process.ts');
    const { aComplaint, anInquiry } = await import('../support/factories.ts');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-restart-'));
    const first = await startSandboxProcess({}, { dataDir, keepData: true });
    // 10:00 in Beijing on a day ahead (texts are held in the quiet hours).
    const tomorrowTen = new Date(Date.now() + 86_400_000);
    tomorrowTen.setUTCHours(2, 0, 0, 0);
    const shifted = await first.api('POST', '/_sandbox/clock', { body: { set: tomorrowTen.toISOString() } });
    const email = `restart-${Date.now()}@example.com`;
    const phone = `+86137${String(Date.now()).slice(-8)}`;
    const submitted = await first.api('POST', '/cases', { body: aComplaint({ customer: { email } }) });
    expect(submitted.status).toBe(201);
    await first.api('POST', '/cases', {
      body: anInquiry({ customer: { email: undefined, phone, locale: 'zh-CN' } }),
    });
    const textsTo = async (sandbox: typeof first) =>
      ((await sandbox.api('GET', '/_sandbox/sms')).body.messages as Array<{ to: string }>).filter(
        (message) => message.to === phone,
      );
    await first.waitFor(async () => (await first.emailsTo(email)).length > 0, 'the acknowledgement');
    await first.waitFor(async () => (await textsTo(first)).length > 0, 'the SMS');

    // A second `npm start` on the same ports: one line, exit 1, and the first keeps running.
    const second = spawnSync(process.execPath, ['infra/sandbox/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, ...first.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/another sandbox running/);
    // Nor does reset pull the data from under a running sandbox.
    const refused = spawnSync(process.execPath, ['infra/sandbox/reset.ts'], {
      cwd: projectRoot,
      env: { ...process.env, ...first.env },
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect((await first.api('GET', '/health')).status).toBe(200);
    await first.stop();

    const restarted = await startSandboxProcess({}, { dataDir, keepData: true });
    try {
      const again = await restarted.api('GET', `/cases/${submitted.body.caseId}`, {
        headers: { 'X-Case-Token': submitted.body.accessToken },
      });
      expect(again.status).toBe(200);
      expect(again.body.caseId).toBe(submitted.body.caseId);
      const clock = await restarted.api('GET', '/_sandbox/clock');
      expect(clock.body.shiftMs).toBeCloseTo(shifted.body.shiftMs, -4); // within 10 s
      expect(await restarted.emailsTo(email)).toHaveLength(1);
      expect(await textsTo(restarted)).toHaveLength(1);
    } finally {
      await restarted.stop();
    }

    const reset = spawnSync(process.execPath, ['infra/sandbox/reset.ts'], {
      cwd: projectRoot,
      env: { ...process.env, ...restarted.env },
      encoding: 'utf8',
    });
    expect(reset.status).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});
