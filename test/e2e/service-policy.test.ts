// The service policy in the real sandbox (issue 10, "Done when"): an operator edits the policy file and the
// next case gets the new first-response target, without a restart; a broken edit keeps the last good one.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

const policyDir = mkdtempSync(path.join(tmpdir(), 'parcel-care-policy-'));
const policyFile = path.join(policyDir, 'service-policy.json');
copyFileSync(new URL('../../policy/service-policy.json', import.meta.url), policyFile);

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess({ SANDBOX_POLICY_FILE: policyFile });
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(policyDir, { recursive: true, force: true });
});

const hourMs = 3_600_000;

/** Hours from submission to the first-response deadline the customer is given. */
async function firstResponseHours(): Promise<number> {
  const submitted = await sandbox.api('POST', '/cases', {
    body: anInquiry({ customer: { email: `policy.${Date.now()}@example.com` } }),
  });
  expect(submitted.status).toBe(201);
  const { createdAt, deadlines } = submitted.body as { createdAt: string; deadlines: Record<string, string> };
  return (Date.parse(deadlines.firstResponseDueAt ?? '') - Date.parse(createdAt)) / hourMs;
}

function editPolicy(change: (document: { sla: Record<string, unknown> }) => void): void {
  const document = JSON.parse(readFileSync(policyFile, 'utf8'));
  change(document);
  writeFileSync(policyFile, JSON.stringify(document, null, 2));
}

describe('the service policy in the sandbox', () => {
  it('gives the next case the first-response target of the edited policy file', async () => {
    // An inquiry is low priority, which doubles the first-response target: 2 h → 4 h, then 1 h → 2 h.
    expect(await firstResponseHours()).toBe(4);
    editPolicy((document) => {
      document.sla.firstResponse = { unit: 'hours', amount: 1 };
    });
    expect(await firstResponseHours()).toBe(2);
  });

  it('keeps the last good policy when an edit does not validate', async () => {
    editPolicy((document) => {
      document.sla.firstResponse = { unit: 'minutes', amount: 30 };
    });
    expect(await firstResponseHours()).toBe(2);
    expect(sandbox.output()).toContain('Service policy document rejected');
  });
});
