// The numbering plans (libphonenumber-js, ~130 KB minified) are bundled only where a phone is taken: the
// route contracts check a phone field with plain rules, and the masks (logs, auditors' views, anonymisation)
// find phones with plain patterns, so a function that never reads a phone (Health, the case reads) does
// not carry them.
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsOf, functionBundling } from '#infra/stack/bundling';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** The package files that put code into the bundle of `entry` (a project path), built as the stack builds. */
async function bundledInputs(entry: string): Promise<string[]> {
  const { metafile } = await build({
    ...esbuildOptionsOf(functionBundling),
    entryPoints: [path.join(projectRoot, entry)],
    outdir: path.join(projectRoot, 'unused-out'),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );
}

const numberingPlans = (inputs: string[]) =>
  inputs.filter((input) => input.includes('node_modules/libphonenumber-js/'));

describe('where libphonenumber-js is bundled', () => {
  it.each([
    ['the customer route contracts', 'events/customer-api.ts'],
    ['the agent route contracts', 'events/agent-api.ts'],
    ['the incident route contracts', 'events/incident-api.ts'],
    ['the logger with its personal-data mask', 'shared/observability.ts'],
    ['the configuration', 'shared/config.ts'],
    ["the agents' case views, masked for auditors", 'shared/use-cases/agent-views.ts'],
    ['anonymisation', 'shared/domain/retention.ts'],
  ])('not in %s', async (_what, entry) => {
    expect(numberingPlans(await bundledInputs(entry))).toEqual([]);
  });

  it('in the code that reads a phone as a mobile number (so the check above can fail)', async () => {
    expect(numberingPlans(await bundledInputs('shared/use-cases/submit-case.ts'))).not.toEqual([]);
  });
});
