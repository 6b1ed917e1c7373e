import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  it('keeps cases and their tokens across a restart', async () => {
    const { startSandboxProcess } = await import('../support/sandbox-process.ts');
    const { aComplaint } = await import('../support/factories.ts');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-restart-'));
    const first = await startSandboxProcess({}, { dataDir, keepData: true });
    const submitted = await first.api('POST', '/cases', { body: aComplaint() });
    expect(submitted.status).toBe(201);
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
    expect((await first.api('GET', '/health')).status).toBe(200);
    await first.stop();

    const restarted = await startSandboxProcess({}, { dataDir });
    try {
      const again = await restarted.api('GET', `/cases/${submitted.body.caseId}`, {
        headers: { 'X-Case-Token': submitted.body.accessToken },
      });
      expect(again.status).toBe(200);
      expect(again.body.caseId).toBe(submitted.body.caseId);
    } finally {
      await restarted.stop();
    }
  });
});
