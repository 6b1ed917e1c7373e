// Starts the real sandbox (`node infra/sandbox/main.ts`, as `npm start` does) on free ports with a
// fresh data folder, for end-to-end tests over HTTP. Stops it with SIGINT, like Ctrl-C.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/sandbox/emulators.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface SandboxProcess {
  url: string;
  sesUrl: string;
  /** DynamoDB Local, for the benchmark's own measurements beside the sandbox. */
  dynamodbUrl: string;
  dataDir: string;
  /** The variables it was started with: ports and SANDBOX_DIR. */
  env: Record<string, string>;
  output(): string;
  /** A staff token signed by this sandbox's key, exactly as `npm run -s token` prints it. */
  token(role: string | string[], sub: string, email?: string): string;
  api<T = any>(
    method: string,
    route: string,
    options?: { body?: unknown; headers?: Record<string, string>; token?: string },
  ): Promise<{ status: number; body: T }>;
  emailsTo(address: string): Promise<
    Array<{
      subject: string;
      body: { text?: string; html?: string };
      destination: { to: string[] };
      replyTo?: string[];
    }>
  >;
  waitFor<T>(
    probe: () => Promise<T | undefined | null | false>,
    what: string,
    timeoutMs?: number,
  ): Promise<T>;
  stop(): Promise<void>;
}

type StartOptions = { dataDir?: string; keepData?: boolean };

/**
 * Free ports are found by binding and releasing them, so another process can take one before the sandbox
 * binds it (several e2e files start sandboxes at once). A start that lost such a race is tried again on
 * new ports; any other failure is reported at once.
 */
export async function startSandboxProcess(
  extraEnv: Record<string, string> = {},
  options: StartOptions = {},
): Promise<SandboxProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startSandboxOnce(extraEnv, options);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startSandboxOnce(
  extraEnv: Record<string, string>,
  options: StartOptions,
): Promise<SandboxProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'parcel-care-e2e-'));
  const ports = {
    PORT: await freePort(),
    DYNAMODB_PORT: await freePort(),
    SQS_PORT: await freePort(),
    SES_PORT: await freePort(),
    S3_PORT: await freePort(),
    SMTP_PORT: await freePort(),
  };
  const ownEnv: Record<string, string> = {
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    SANDBOX_DIR: dataDir,
    ...extraEnv,
  };
  const env = { ...process.env, ...ownEnv };
  const child: ChildProcess = spawn(process.execPath, ['infra/sandbox/main.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${ports.PORT}`;
  const sesUrl = `http://127.0.0.1:${ports.SES_PORT}`;

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The sandbox exited early:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The sandbox did not start in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const sandbox: SandboxProcess = {
    url,
    sesUrl,
    dynamodbUrl: `http://127.0.0.1:${ports.DYNAMODB_PORT}`,
    dataDir,
    env: ownEnv,
    output: () => output,
    token: (role, sub, email) =>
      execFileSync(
        process.execPath,
        [
          'infra/sandbox/token-cli.ts',
          ...(Array.isArray(role) ? role : [role]).flatMap((r) => ['--role', r]),
          '--sub',
          sub,
          ...(email ? ['--email', email] : []),
        ],
        { cwd: projectRoot, env, encoding: 'utf8' },
      ).trim(),
    api: async (method, route, options = {}) => {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined
          ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
          : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    emailsTo: async (address) => {
      const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
        emails: Array<{
          subject: string;
          body: { text?: string; html?: string };
          destination: { to: string[] };
        }>;
      };
      return store.emails.filter((email) => email.destination.to.includes(address));
    },
    waitFor: async (probe, what, timeoutMs = 15_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > until) throw new Error(`Timed out waiting for ${what}\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop,
  };
  return sandbox;
}
