// Builds the app the way `cdk synth` does (context from cdk.json), into a temporary directory.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildAppOptions, buildApp } from '#infra/stack/parcel-care-app';
import { projectRoot } from '#infra/stack/parcel-care-stack';

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** Context given in `options` overrides cdk.json's, as `-c key=value` does. */
export function buildTestApp(options: BuildAppOptions = {}) {
  return buildApp({
    outdir: mkdtempSync(join(tmpdir(), 'parcel-care-cdk-')),
    ...options,
    context: { ...cdkJsonContext(), ...options.context },
  });
}
