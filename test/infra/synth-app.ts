// Builds the app the way `cdk synth` does (context from cdk.json), into a temporary directory that is
// removed when the test file that asked for it is done (each synth leaves tens of MB of assets).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type BuildAppOptions, buildApp } from '#infra/stack/parcel-care-app';
import { projectRoot } from '#infra/stack/parcel-care-stack';

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
});

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** Context given in `options` overrides cdk.json's, as `-c key=value` does. */
export function buildTestApp(options: BuildAppOptions = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'parcel-care-cdk-'));
  outdirs.push(outdir);
  return buildApp({
    outdir,
    ...options,
    context: { ...cdkJsonContext(), ...options.context },
  });
}
