import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

describe('sandbox data', () => {
  it('keeps cases and their tokens across a restart', async () => {
    const { startSandboxProcess } = await import('../support/sandbox-process.ts');
    const { aComplaint } = await import('../support/factories.ts');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-restart-'));
    const first = await startSandboxProcess({}, { dataDir, keepData: true });
    const submitted = await first.api('POST', '/cases', { body: aComplaint() });
    expect(submitted.status).toBe(201);
    await first.stop();

    const second = await startSandboxProcess({}, { dataDir });
    try {
      const again = await second.api('GET', `/cases/${submitted.body.caseId}`, {
        headers: { 'X-Case-Token': submitted.body.accessToken },
      });
      expect(again.status).toBe(200);
      expect(again.body.caseId).toBe(submitted.body.caseId);
    } finally {
      await second.stop();
    }
  });
});
