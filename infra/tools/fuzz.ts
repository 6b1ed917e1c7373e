// npm run fuzz [-- --count 10000 --max-seconds 900 --seed 42 --url http://127.0.0.1:3000 --sandbox-dir .sandbox]
// Generated requests against every public and agent route of the OpenAPI document, on a loopback
// sandbox only. Without --url it starts its own sandbox (`node infra/sandbox/main.ts`) on free ports
// with a fresh data folder. Prints the seed, the count per status and per route, and a reproducer per
// distinct failure; exits 1 on any 5xx or any error answer not in API.md's shape.
// `--replay N` sends request N of the seeded run once and prints it with its answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../sandbox/emulators.ts';
import { describeRequest, formatReport, shorten } from './fuzz/fuzz-report.ts';
import { replay, runFuzz } from './fuzz/fuzz-run.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    'max-seconds': { type: 'string', default: '1200' },
    seed: { type: 'string' },
    url: { type: 'string' },
    'sandbox-dir': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    replay: { type: 'string' },
  },
});
const positive = (name: string, text: string | undefined) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, not ${text}`);
    process.exit(2);
  }
  return value;
};
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('seed', values.seed);
const projectRoot = path.resolve(import.meta.dirname, '../..');

interface Target {
  url: string;
  sandboxDir: string;
  stop(keepData: boolean): Promise<void>;
}

/** The sandbox as `npm start` runs it, on free ports, with its output in <dataDir>/sandbox.log. */
async function ownSandbox(): Promise<Target> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parcel-care-fuzz-'));
  const port = await freePort();
  const logFile = path.join(dataDir, 'sandbox.log');
  const child: ChildProcess = spawn(process.execPath, ['infra/sandbox/main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(await freePort()),
      SQS_PORT: String(await freePort()),
      SES_PORT: String(await freePort()),
      SANDBOX_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (keepData: boolean) => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(forced);
    }
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  for (const until = Date.now() + 120_000; ; ) {
    if (child.exitCode !== null) throw new Error(`The sandbox exited early; see ${logFile}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > until) {
      await stop(true);
      throw new Error(`The sandbox did not start within 120 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  console.log(`sandbox ${url} (data and log in ${dataDir})`);
  return { url, sandboxDir: dataDir, stop };
}

const target: Target = values.url
  ? { url: values.url, sandboxDir: path.resolve(values['sandbox-dir'] ?? '.sandbox'), stop: async () => {} }
  : await ownSandbox();

let failed = true;
try {
  console.log(`fuzz seed ${seed} (rerun with --seed ${seed})`);
  if (values.replay !== undefined) {
    const { request, response } = await replay({ ...target, seed }, positive('replay', values.replay));
    console.log(`${describeRequest(request)}\n→ ${response.status} ${shorten(response.body, 2000)}`);
    failed = false;
  } else {
    const report = await runFuzz({
      ...target,
      seed,
      count: positive('count', values.count),
      maxSeconds: positive('max-seconds', values['max-seconds']),
      concurrency: Math.max(1, positive('concurrency', values.concurrency)),
      log: (line) => console.log(line),
    });
    console.log(formatReport(report));
    failed = report.failures.length > 0;
    if (failed && !values.url)
      console.log(`\nThe sandbox's log (stacks of the 5xx) is kept in ${target.sandboxDir}/sandbox.log`);
  }
} finally {
  await target.stop(failed);
}
process.exit(failed ? 1 : 0);
