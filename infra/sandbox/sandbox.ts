// The whole backend on one machine: emulators, the stack's table and queues, the catalogue's
// handlers behind a local API Gateway, SQS event sources, schedules, and the sandbox routes.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { resetSystemClock, setSystemClock, shiftSystemClock, systemClock } from '#adapters/clock';
import { resetDependencies } from '#adapters/dependencies';
import { parseLimits, sandboxLimits } from '#shared/abuse-limits';
import { resetConfigCache } from '#shared/config';
import type { JobName } from '#shared/work-queues';
import { apiThrottle, consumerOf, type FunctionDefinition, functions } from '../catalogue.ts';
import { type CountingProxies, startCountingProxies } from './counting-proxy.ts';
import { type RunningEmulator, startDynamoDbLocal, startSesEmulator, startSqsEmulator } from './emulators.ts';
import { type FaultRates, parseFaultRates, type SandboxFaults, startSandboxFaults } from './fault-proxy.ts';
import { compileRoutes, gatewayListener, type SandboxRouteResult, tokenBucket } from './http-gateway.ts';
import {
  invocationCounts,
  invoke,
  queueDepth,
  resetInvocationCounts,
  SqsEventSource,
  sandboxAccount,
  sandboxRegion,
  scheduledEvent,
} from './lambda-runtime.ts';
import { localIssuer } from './local-issuer.ts';
import {
  createCaseTable,
  createQueues,
  queueEnvironment,
  reachableQueueUrl,
  type SandboxQueue,
} from './resources.ts';
import { startSesEventSimulator } from './ses-event-simulator.ts';
import { smsEmulator } from './sms-emulator.ts';

export interface SandboxOptions {
  port: number;
  dynamoDbPort: number;
  sqsPort: number;
  sesPort: number;
  /** Where DynamoDB Local, the queues and the signing key keep their data across restarts. */
  dataDir: string;
  /** Run schedules on timers (off in tests, which call the jobs route). */
  schedules?: boolean;
  /** Share of calls to fail per service; default from SANDBOX_FAULTS (`ses:0.3,sqs-send:0.1,sms:0.2`). */
  faults?: FaultRates;
  /** Hand every SQS batch to its consumer twice, at once; default from SANDBOX_DUPLICATE_DELIVERY=1. */
  duplicateDelivery?: boolean;
  /** Count every call to DynamoDB, SQS and SES for `GET /_sandbox/counts`; default from SANDBOX_COUNT_CALLS=1. */
  countCalls?: boolean;
  /** The gateway's token bucket; default from SANDBOX_API_THROTTLE (`rate:burst`), else the stage's `apiThrottle`. */
  throttle?: { rateLimit: number; burstLimit: number };
  log?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  endpoints: { dynamodb: string; sqs: string; ses: string };
  /** The fault proxies in front of the emulators, with what they failed so far. */
  faults: SandboxFaults;
  stop(): Promise<void>;
}

const tableName = 'parcel-care-cases';
const queuePrefix = 'parcel-care';
/**
 * Older job names the jobs route still answers to. `survey-dispatch` re-queued due outbox notifications
 * every 5 minutes, which `sla-sweep` already did every minute; the two are one job now.
 */
const jobAliases: Readonly<Record<string, JobName>> = { 'survey-dispatch': 'sla-sweep' };

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(options.dataDir, { recursive: true });
  const started: RunningEmulator[] = [];
  const stopAll = async () => {
    for (const emulator of started.reverse()) await emulator.stop().catch(() => {});
  };

  try {
    const dynamodb = await startDynamoDbLocal({
      port: options.dynamoDbPort,
      dataDir: path.join(options.dataDir, 'dynamodb'),
    });
    started.push(dynamodb);
    const sqs = await startSqsEmulator({ port: options.sqsPort, dataDir: path.join(options.dataDir, 'sqs') });
    started.push(sqs);
    const ses = await startSesEmulator({ port: options.sesPort });
    started.push(ses);

    const url = `http://127.0.0.1:${options.port}`;
    const sms = smsEmulator();
    const counting: CountingProxies | null =
      (options.countCalls ?? process.env.SANDBOX_COUNT_CALLS === '1')
        ? await startCountingProxies({ dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint })
        : null;
    if (counting) {
      started.push({ endpoint: '', port: 0, stop: () => counting.stop() });
      log('Call counting: GET /_sandbox/counts');
    }
    // The functions reach SES, SQS sends and SMS through fault proxies when SANDBOX_FAULTS asks for them.
    const faults = await startSandboxFaults(options.faults ?? parseFaultRates(process.env.SANDBOX_FAULTS), {
      ses: counting?.endpoints.ses ?? ses.endpoint,
      sqs: counting?.endpoints.sqs ?? sqs.endpoint,
      sms: `${url}${sms.path}`,
    });
    started.push({ endpoint: '', port: 0, stop: () => faults.stop() });
    const faultsLine = faults.describe();
    if (faultsLine) log(faultsLine);
    const duplicateDelivery = options.duplicateDelivery ?? process.env.SANDBOX_DUPLICATE_DELIVERY === '1';
    if (duplicateDelivery) log('Duplicate delivery: every SQS batch reaches its consumer twice');
    Object.assign(process.env, {
      AWS_REGION: sandboxRegion,
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_ENDPOINT_URL_DYNAMODB: counting?.endpoints.dynamodb ?? dynamodb.endpoint,
      AWS_ENDPOINT_URL_SQS: faults.endpoints.sqs,
      AWS_ENDPOINT_URL_SESV2: faults.endpoints.ses,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: faults.endpoints.sms,
      TABLE_NAME: tableName,
      SENDER_EMAIL: process.env.SENDER_EMAIL ?? 'care@parcel-care.example',
      PUBLIC_BASE_URL: url,
      HMAC_SECRET: sandboxSecret(options.dataDir),
      POWERTOOLS_SERVICE_NAME: 'parcel-care',
      POWERTOOLS_METRICS_NAMESPACE: 'ParcelCare',
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      STAGE: 'sandbox',
      ABUSE_LIMITS: JSON.stringify(parseLimits(process.env.SANDBOX_LIMITS ?? '', sandboxLimits)),
    });

    const dynamoClient = new DynamoDBClient({});
    await createCaseTable(dynamoClient, tableName);
    dynamoClient.destroy();
    // The sandbox's own polling talks to the emulator directly; only the functions meet the faults.
    const sqsClient = new SQSClient({ endpoint: sqs.endpoint });
    const createdQueues = await createQueues(sqsClient, queuePrefix, sqs.endpoint);
    const queuesSeenByFunctions = createdQueues.map((queue) => ({
      ...queue,
      url: reachableQueueUrl(queue.url, faults.endpoints.sqs),
    }));
    Object.assign(process.env, queueEnvironment(queuesSeenByFunctions));
    resetConfigCache();
    resetDependencies();

    const eventSources: SqsEventSource[] = [];
    for (const queue of createdQueues) {
      const consumer = consumerOf(queue.name);
      if (consumer?.trigger.kind !== 'queue') continue;
      const arn = (
        await sqsClient.send(
          new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['QueueArn'] }),
        )
      ).Attributes?.QueueArn;
      const source = new SqsEventSource({
        client: sqsClient,
        fn: consumer,
        queueUrl: queue.url,
        queueArn: arn ?? queue.url,
        batchSize: consumer.trigger.batchSize,
        duplicateDelivery,
        onError: (error) => log(`[${consumer.name}] ${(error as Error).stack ?? error}`),
      });
      source.start();
      eventSources.push(source);
    }

    const emailEventsQueue = createdQueues.find((queue) => queue.name === 'emailEvents');
    if (emailEventsQueue) {
      const simulator = await startSesEventSimulator({
        sesEndpoint: ses.endpoint,
        queueUrl: emailEventsQueue.url,
        client: sqsClient,
        region: sandboxRegion,
        account: sandboxAccount,
        onError: (error) => log(`[ses-event-simulator] ${(error as Error).stack ?? error}`),
      });
      started.push({ endpoint: '', port: 0, stop: () => simulator.stop() });
    }

    const issuer = await localIssuer(options.dataDir);
    const jobs = new Map<string, FunctionDefinition>(
      functions.flatMap((fn) => (fn.trigger.kind === 'schedule' ? [[fn.trigger.job, fn] as const] : [])),
    );
    const timers: NodeJS.Timeout[] = [];
    if (options.schedules !== false) {
      for (const [job, fn] of jobs) {
        if (fn.trigger.kind !== 'schedule') continue;
        timers.push(
          setInterval(() => {
            invoke(fn, scheduledEvent(job, systemClock.now())).catch((error) =>
              log(`[${fn.name}] ${(error as Error).stack ?? error}`),
            );
          }, fn.trigger.everyMinutes * 60_000),
        );
      }
    }

    const waitForQueuesToDrain = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      while (Date.now() < deadline) {
        const depths = await Promise.all(createdQueues.map((queue) => queueDepth(sqsClient, queue.url)));
        const idle =
          depths.every((depth) => depth.visible + depth.inFlight + depth.delayed === 0) &&
          eventSources.every((source) => !source.busy);
        quietChecks = idle ? quietChecks + 1 : 0;
        // Two quiet looks in a row: a consumer may queue follow-up work just as the first look happens.
        if (quietChecks >= 2) return true;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return false;
    };

    const sandboxRoutes = async (
      method: string,
      pathname: string,
      body: string,
      headers: Record<string, string | string[] | undefined>,
    ): Promise<SandboxRouteResult | null> => {
      if (pathname.startsWith(sms.path)) return sms.handle(method, body, headers);
      if (pathname === '/_sandbox/clock') return clockRoute(method, body);
      if (pathname === '/_sandbox/sms' && method === 'GET')
        return { status: 200, body: { messages: sms.messages() } };
      if (pathname === '/_sandbox/counts' && (method === 'GET' || method === 'DELETE')) {
        if (method === 'DELETE') {
          counting?.reset();
          resetInvocationCounts();
        }
        return {
          status: 200,
          body: { counting: counting !== null, ...(counting?.counts() ?? {}), lambda: invocationCounts() },
        };
      }
      if (pathname === '/_sandbox/queues' && method === 'GET') {
        return { status: 200, body: { queues: await queueReport(sqsClient, createdQueues) } };
      }
      const requested = pathname.match(/^\/_sandbox\/jobs\/([\w-]+)$/)?.[1];
      if (requested && method === 'POST') {
        const job = jobAliases[requested] ?? requested;
        const fn = jobs.get(job);
        if (!fn) {
          return {
            status: 404,
            body: {
              error: {
                code: 'not_found',
                message: `No job ${requested}; jobs: ${[...jobs.keys(), ...Object.keys(jobAliases)].join(', ')}`,
                requestId: randomUUID(),
              },
            },
          };
        }
        const ranAt = systemClock.now().toISOString();
        const result = await invoke(fn, scheduledEvent(job as JobName, systemClock.now()));
        const drained = await waitForQueuesToDrain(20_000);
        return { status: 200, body: { job, ranAt, result: result ?? null, drained } };
      }
      return null;
    };

    const server: Server = createServer(
      gatewayListener({
        routes: compileRoutes(functions),
        issuer,
        now: () => systemClock.now(),
        sandboxRoutes,
        throttle: tokenBucket(
          options.throttle ?? parseThrottle(process.env.SANDBOX_API_THROTTLE) ?? apiThrottle,
        ),
        onError: (error) => log(`[gateway] ${(error as Error).stack ?? error}`),
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });

    return {
      url,
      endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint },
      faults,
      stop: async () => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all(eventSources.map((source) => source.stop()));
        sqsClient.destroy();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** `SANDBOX_API_THROTTLE=1000:1000` → a bucket of 1000 refilled at 1000/s (benchmarks only; the stage keeps `apiThrottle`). */
export function parseThrottle(
  text: string | undefined,
): { rateLimit: number; burstLimit: number } | undefined {
  if (!text) return undefined;
  const [rateLimit, burstLimit] = text.split(':').map(Number);
  if (!(rateLimit! > 0 && burstLimit! >= 1)) {
    throw new Error(`SANDBOX_API_THROTTLE: "${text}" is not rate:burst, e.g. 1000:1000`);
  }
  return { rateLimit: rateLimit!, burstLimit: burstLimit! };
}

/** The HMAC key lives in .sandbox/ so case tokens stay valid across restarts. */
function sandboxSecret(dataDir: string): string {
  const file = path.join(dataDir, 'hmac-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const isoDuration = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function durationMs(text: string): number | null {
  const match = text.match(isoDuration);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return ((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
}

const clockChangeSchema = z.union([
  z.object({
    advance: z.string().refine((text) => durationMs(text) !== null, 'Use an ISO 8601 duration like PT3H'),
  }),
  z.object({ set: z.iso.datetime() }),
  z.object({ reset: z.literal(true) }),
]);

function clockRoute(method: string, body: string): SandboxRouteResult {
  const report = () => ({
    status: 200,
    body: { now: systemClock.now().toISOString(), shiftMs: systemClock.now().getTime() - Date.now() },
  });
  if (method === 'GET') return report();
  if (method !== 'POST')
    return {
      status: 405,
      body: { error: { code: 'method_not_allowed', message: 'GET or POST', requestId: randomUUID() } },
    };
  let parsed: ReturnType<typeof clockChangeSchema.safeParse>;
  try {
    parsed = clockChangeSchema.safeParse(JSON.parse(body || '{}'));
  } catch {
    return {
      status: 400,
      body: {
        error: { code: 'invalid_json', message: 'The body is not valid JSON', requestId: randomUUID() },
      },
    };
  }
  if (!parsed.success) {
    return {
      status: 400,
      body: {
        error: {
          code: 'validation_error',
          message: 'Send { "advance": "PT3H" }, { "set": "2026-11-23T08:00:00.000Z" } or { "reset": true }',
          details: parsed.error.issues.map((issue) => ({
            path: issue.path.join('.') || '(body)',
            message: issue.message,
          })),
          requestId: randomUUID(),
        },
      },
    };
  }
  const change = parsed.data;
  if ('advance' in change) shiftSystemClock(durationMs(change.advance)!);
  else if ('set' in change) setSystemClock(new Date(change.set));
  else resetSystemClock();
  return report();
}

async function queueReport(client: SQSClient, created: readonly SandboxQueue[]) {
  return Promise.all(
    created.map(async (queue) => {
      const [main, dead] = await Promise.all([
        queueDepth(client, queue.url),
        queueDepth(client, queue.dlqUrl),
      ]);
      return {
        name: queue.name,
        url: queue.url,
        deadLetterUrl: queue.dlqUrl,
        visible: main.visible,
        inFlight: main.inFlight,
        delayed: main.delayed,
        deadLetters: dead.visible + dead.inFlight,
        maxReceiveCount: queue.maxReceiveCount,
      };
    }),
  );
}
