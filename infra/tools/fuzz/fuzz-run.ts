// Runs a seeded, bounded fuzz against a sandbox on loopback, over HTTP only, and reports the count
// per status and per operation, and each distinct answer that breaks API.md's contract.

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type fc from 'fast-check';
import { localIssuer } from '../../sandbox/local-issuer.ts';
import { type ApiDescription, describeApi } from './api-document.ts';
import {
  type FuzzContext,
  type FuzzRequest,
  fuzzRequest,
  nthRequest,
  type StaffRole,
} from './fuzz-requests.ts';
import { contractProblem, contractWarning, type ObservedResponse } from './response-check.ts';

export interface FuzzOptions {
  /** The sandbox's API, e.g. http://127.0.0.1:3000; anything but loopback is refused. */
  url: string;
  /** The sandbox's data folder, whose key signs staff tokens (as `npm run -s token` does). */
  sandboxDir: string;
  seed: number;
  count: number;
  maxSeconds: number;
  concurrency?: number;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  /** Cases and tokens already prepared with `prepareContext`; made afresh when absent. */
  context?: FuzzContext;
}

export interface FuzzFailure {
  /** Variant and problem: one entry per distinct failure, whichever operations showed it. */
  signature: string;
  /** The operations that showed it, with how often. */
  operations: Record<string, number>;
  variant: string;
  problem: string;
  occurrences: number;
  /** The smallest request that showed it, with its index in the seeded run. */
  index: number;
  request: FuzzRequest;
  response: ObservedResponse;
}

export interface FuzzReport {
  seed: number;
  requested: number;
  sent: number;
  seconds: number;
  stoppedByTime: boolean;
  byStatus: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  byVariant: Record<string, number>;
  failures: FuzzFailure[];
  warnings: Record<string, number>;
  /** Messages in the sandbox's dead-letter queues after the run (asynchronous failures; reported, not judged). */
  deadLetters?: Record<string, number>;
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback) throw new Error(`The fuzzer runs against a sandbox on loopback only, not ${host}`);
}

/** Sends one request exactly as generated (no client-side normalisation of method, path or body). */
export function send(url: string, request: FuzzRequest, timeoutMs = 30_000): Promise<ObservedResponse> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.target,
        // Node frames a GET, DELETE or OPTIONS body only with an explicit length.
        headers:
          request.body === undefined
            ? request.headers
            : { 'content-length': String(request.body.length), ...request.headers },
        agent: false,
        timeout: timeoutMs,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

async function sandboxNow(url: string): Promise<Date> {
  const response = await fetch(`${url}/_sandbox/clock`);
  if (!response.ok)
    throw new Error(`${url} is not a Parcel Care sandbox (GET /_sandbox/clock: ${response.status})`);
  return new Date(((await response.json()) as { now: string }).now);
}

async function call(
  url: string,
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string>,
) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens signed like `npm run -s token`, real cases to aim at, and one case resolved for feedback and appeal. */
export async function prepareContext(url: string, sandboxDir: string): Promise<FuzzContext> {
  const issuer = await localIssuer(sandboxDir);
  const now = await sandboxNow(url);
  const sign = (roles: string[], at = now, seconds = 12 * 3600) =>
    issuer.sign({ sub: `fuzz-${roles.join('-') || 'none'}`, roles, email: 'fuzz@example.com' }, at, seconds);
  const roles: StaffRole[] = ['agent', 'supervisor', 'manager', 'auditor'];
  const staffTokens = Object.fromEntries(
    await Promise.all(roles.map(async (role) => [role, await sign([role])])),
  ) as Record<StaffRole, string>;
  const probe = await fetch(`${url}/agent/cases?limit=1`, {
    headers: { authorization: `Bearer ${staffTokens.agent}` },
  });
  if (probe.status !== 200) {
    throw new Error(
      `A token signed with the key in ${sandboxDir} is refused (${probe.status}); pass --sandbox-dir`,
    );
  }
  const otherDir = mkdtempSync(path.join(tmpdir(), 'parcel-care-fuzz-key-'));
  const stranger = await localIssuer(otherDir);
  rmSync(otherDir, { recursive: true, force: true });
  const [header, payload] = staffTokens.agent.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const badTokens: Record<string, string> = {
    expired: await sign(['supervisor'], new Date(now.getTime() - 24 * 3600_000), 3600),
    'wrong-key': await stranger.sign({ sub: 'mallory', roles: ['manager'] }, now, 3600),
    'alg-none': `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    tampered: `${header}.${base64url({ ...claims, 'cognito:groups': ['manager'] })}.${staffTokens.agent.split('.')[2]}`,
    'no-roles': await sign([]),
    'unknown-role': await sign(['admin']),
    'not-yet-valid': await sign(['supervisor'], new Date(now.getTime() + 48 * 3600_000), 3600),
  };

  const customer = (n: number) => ({
    name: '张三',
    email: `fuzz-setup-${Date.now()}-${n}@example.com`,
    locale: 'zh-CN',
  });
  const submissions = [
    {
      type: 'complaint',
      subject: '快递员态度恶劣',
      description: '派送时快递员对我大声辱骂',
      trackingNumber: 'SF1234567890123',
    },
    { type: 'inquiry', subject: '快递到北京需要几天？', description: '我想寄一个包裹到北京' },
    {
      type: 'complaint',
      subject: 'Parcel damaged',
      description: 'The box arrived crushed',
      trackingNumber: 'SF9990001112223',
    },
  ];
  const cases: FuzzContext['cases'] = [];
  for (const [n, submission] of submissions.entries()) {
    const created = await call(
      url,
      'POST',
      '/cases',
      { ...submission, customer: customer(n), consent: { dataProcessing: true } },
      {},
    );
    if (created.status !== 201)
      throw new Error(`Could not create a case to fuzz: ${JSON.stringify(created)}`);
    cases.push({ caseId: String(created.body.caseId), accessToken: String(created.body.accessToken) });
  }
  // The last case is taken and resolved, so feedback and appeal reach their handlers' happy paths.
  const resolved = cases.at(-1)!;
  const supervisor = { authorization: `Bearer ${staffTokens.supervisor}` };
  for (let attempt = 0; attempt < 60; attempt++) {
    const assigned = await call(url, 'POST', `/agent/cases/${resolved.caseId}/assign`, {}, supervisor);
    if (assigned.status === 200 || assigned.status === 201) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await call(
    url,
    'POST',
    `/agent/cases/${resolved.caseId}/resolve`,
    { resolution: '已致歉并处理' },
    supervisor,
  );
  return { cases, staffTokens, badTokens };
}

function add(counter: Record<string, number>, key: string) {
  counter[key] = (counter[key] ?? 0) + 1;
}

const sizeOf = (request: FuzzRequest) =>
  (request.body?.length ?? 0) + request.target.length + JSON.stringify(request.headers).length;

export function requestGenerator(api: ApiDescription, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fuzzRequest(api, context);
}

/** A 429 asking for a longer wait than this is an application limit, not the gateway's throttle. */
const maxRetryAfterWaitSeconds = 5;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  assertLoopback(options.url);
  const log = options.log ?? (() => {});
  const api = describeApi();
  const context = options.context ?? (await prepareContext(options.url, options.sandboxDir));
  const generator = requestGenerator(api, context);
  const started = Date.now();
  const deadline = started + options.maxSeconds * 1000;
  const report: FuzzReport = {
    seed: options.seed,
    requested: options.count,
    sent: 0,
    seconds: 0,
    stoppedByTime: false,
    byStatus: {},
    byOperation: Object.fromEntries(api.operations.map((operation) => [operation.key, {}])),
    byVariant: {},
    failures: [],
    warnings: {},
  };
  const failures = new Map<string, FuzzFailure>();
  let pausedUntil = 0;
  let next = 0;

  const record = (index: number, request: FuzzRequest, response: ObservedResponse) => {
    const status = String(response.status || 'no answer');
    add(report.byStatus, status);
    report.byOperation[request.operation] ??= {};
    add(report.byOperation[request.operation]!, status);
    const warning = contractWarning(response);
    if (warning) add(report.warnings, warning);
    const problem = contractProblem(response);
    if (!problem) return;
    const signature = `${request.variant} → ${problem.replace(/\(.*\)$/, '').trim()}`;
    const seen = failures.get(signature);
    if (!seen) {
      failures.set(signature, {
        signature,
        operations: { [request.operation]: 1 },
        variant: request.variant,
        problem,
        occurrences: 1,
        index,
        request,
        response,
      });
    } else {
      seen.occurrences += 1;
      add(seen.operations, request.operation);
      if (sizeOf(request) < sizeOf(seen.request)) Object.assign(seen, { index, request, response });
    }
  };

  const worker = async () => {
    for (;;) {
      if (Date.now() > deadline) {
        report.stoppedByTime = next < options.count;
        return;
      }
      const index = next++;
      if (index >= options.count) return;
      const request = nthRequest(generator, options.seed, index);
      add(report.byVariant, request.variant);
      for (let attempt = 0; ; attempt++) {
        const wait = pausedUntil - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        let response: ObservedResponse;
        try {
          response = await send(options.url, request);
        } catch (error) {
          response = { status: 0, headers: {}, body: `no answer: ${(error as Error).message}` };
        }
        record(index, request, response);
        // The throttle's 429 is an allowed answer: counted, then the run backs off and sends again. An
        // application limit's 429 (a case's messages per day, say) is an answer too, but not waited out.
        if (response.status !== 429 || attempt >= 4) break;
        const retryAfter = Number(response.headers['retry-after'] ?? 1);
        if (retryAfter > maxRetryAfterWaitSeconds) break;
        pausedUntil = Math.max(
          pausedUntil,
          Date.now() + (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000,
        );
      }
      report.sent += 1;
      if (report.sent % 1000 === 0) log(`… ${report.sent} sent, ${failures.size} distinct failures`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  report.seconds = (Date.now() - started) / 1000;
  report.failures = [...failures.values()].sort((a, b) => a.signature.localeCompare(b.signature));
  report.deadLetters = await deadLettersIn(options.url);
  return report;
}

async function deadLettersIn(url: string): Promise<Record<string, number> | undefined> {
  try {
    const { queues } = (await (await fetch(`${url}/_sandbox/queues`)).json()) as {
      queues: Array<{ name: string; deadLetters: number }>;
    };
    return Object.fromEntries(queues.map((queue) => [queue.name, queue.deadLetters]));
  } catch {
    return undefined;
  }
}

/** Request `index` of the run with `seed`, against the sandbox at `url`, for a reproducer. */
export async function replay(options: Pick<FuzzOptions, 'url' | 'sandboxDir' | 'seed'>, index: number) {
  assertLoopback(options.url);
  const context = await prepareContext(options.url, options.sandboxDir);
  const request = nthRequest(requestGenerator(describeApi(), context), options.seed, index);
  return { request, response: await send(options.url, request) };
}
