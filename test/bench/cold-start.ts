// Cold start per function: each catalogue function bundled exactly as the stack bundles it (the one
// declaration in infra/stack/bundling.ts), its raw and gzipped size, and the median time to import it in a
// fresh `node --enable-source-maps` process, over interleaved rounds; each against a bare module and the
// reference handler (fixtures/reference-handler.ts, the Powertools example's `get-by-id` shape).
//   BENCH_COLD_ROUNDS=7 (default; at least 7)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { queueNames, queueUrlVariable } from '#shared/work-queues';
import { functions } from '../../infra/catalogue.ts';
import { esbuildOptionsOf, functionBundling } from '../../infra/stack/bundling.ts';
import { type BenchTable, median, progress, verdict } from './report.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const rounds = Math.max(7, Number(process.env.BENCH_COLD_ROUNDS ?? 7));
const run = promisify(execFile);

/** What the stack sets, with values that need no AWS: imports must not fail for want of configuration. */
const deployedEnvironment: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  NODE_OPTIONS: '',
  STAGE: 'bench',
  TABLE_NAME: 'parcel-care-bench-cases',
  SENDER_EMAIL: 'care@parcel-care.example',
  PUBLIC_BASE_URL: 'https://care.example',
  HMAC_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench',
  SES_CONFIGURATION_SET: 'bench',
  POWERTOOLS_SERVICE_NAME: 'parcel-care',
  POWERTOOLS_METRICS_NAMESPACE: 'ParcelCare',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...Object.fromEntries(
    queueNames.map((queue) => [
      queueUrlVariable(queue),
      `https://sqs.us-east-1.amazonaws.com/000000000000/${queue}`,
    ]),
  ),
};

interface Subject {
  name: string;
  file: string;
  raw: number;
  gzipped: number;
  importMs: number[];
  /** A read route: a GET, or Health. */
  read: boolean;
}

/** Imports `file` in a fresh Node process started as Lambda starts it; returns the import's ms. */
async function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(
    process.execPath,
    [...functionBundling.nodeOptions, '--input-type=module', '--eval', script],
    { env: { ...process.env, ...deployedEnvironment }, cwd: path.dirname(file) },
  );
  return Number(stdout);
}

export async function coldStartTable(): Promise<BenchTable> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'parcel-care-bench-bundles-'));
  try {
    progress(`Cold start: bundling ${functions.length} functions and the reference handler…`);
    const entryPoints: Record<string, string> = {
      reference: path.join(import.meta.dirname, 'fixtures/reference-handler.ts'),
      ...Object.fromEntries(functions.map((fn) => [fn.name, path.join(projectRoot, fn.entry)])),
    };
    await build({
      ...esbuildOptionsOf(functionBundling),
      entryPoints,
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    // The reference as its own project would ship it: the SDK's whole default credential chain, no alias.
    await build({
      ...esbuildOptionsOf(functionBundling),
      alias: {},
      entryPoints: { 'reference-default-chain': entryPoints.reference! },
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    const bare = path.join(outdir, 'bare.mjs');
    writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200 });\n');
    const subject = (name: string, file: string, read: boolean): Subject => {
      const bytes = readFileSync(file);
      return { name, file, raw: bytes.length, gzipped: gzipSync(bytes).length, importMs: [], read };
    };
    const bareModule = subject('bare module', bare, false);
    const reference = subject('reference (Powertools get-by-id)', path.join(outdir, 'reference.mjs'), false);
    const referenceDefaultChain = subject(
      'reference, SDK default credential chain (not a target)',
      path.join(outdir, 'reference-default-chain.mjs'),
      false,
    );
    const measured = functions.map((fn) =>
      subject(
        fn.name,
        path.join(outdir, `${fn.name}.mjs`),
        fn.trigger.kind === 'http' && (fn.trigger.method === 'GET' || fn.name === 'Health'),
      ),
    );
    const all = [bareModule, reference, referenceDefaultChain, ...measured];
    for (let round = 1; round <= rounds; round += 1) {
      progress(`  import round ${round} of ${rounds}`);
      // Interleaved: every subject once per round, so a busy moment hits all of them alike.
      for (const one of all) one.importMs.push(await importMs(one.file));
    }

    const referenceMs = median(reference.importMs);
    const bareMs = median(bareModule.importMs);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    const pct = (value: number, of: number) => `${Math.round((100 * value) / of)} %`;
    let met = true;
    const rows = [reference, referenceDefaultChain, ...measured].map((one) => {
      const ms = median(one.importMs);
      const isReference = one === reference || one === referenceDefaultChain;
      const target = isReference
        ? '—'
        : one.read
          ? 'bytes & ms < reference; ms ≤ 50 % of it (read route)'
          : 'bytes & ms < reference';
      const ok =
        one.raw < reference.raw &&
        one.gzipped < reference.gzipped &&
        ms < referenceMs &&
        (!one.read || ms <= referenceMs / 2);
      if (!isReference) met &&= ok;
      return `| ${one.name} | ${kb(one.raw)} | ${kb(one.gzipped)} | ${pct(one.raw, reference.raw)} | ${ms.toFixed(1)} | ${(ms / bareMs).toFixed(0)} × | ${pct(ms, referenceMs)} | ${target} | ${isReference ? '—' : verdict(ok)} |`;
    });
    const text = [
      '| function | bundle | gzipped | bytes vs reference | import ms (median) | × bare module | ms vs reference | target | met |',
      '|---|---:|---:|---:|---:|---:|---:|---|---|',
      ...rows,
      '',
      `Bundles: esbuild with the stack's options (infra/stack/bundling.ts: ESM, minify, source maps, ${functionBundling.target}, the require banner, nothing external, the SDK's credential chain aliased to the environment and container providers; the second reference row is the reference without that alias). Import: \`node ${functionBundling.nodeOptions}\` in a fresh process per import, time of \`await import()\` inside it; median of ${rounds} interleaved rounds. Bare module: ${bareMs.toFixed(2)} ms (${bareModule.raw} B).`,
      `Target (every function's bundle and import time below the reference's; Health and the GET routes ≤ 50 % of its import time): ${verdict(met)}.`,
    ].join('\n');
    return { title: 'Cold start per function', text, met };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
