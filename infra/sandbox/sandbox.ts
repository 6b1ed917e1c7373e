// The whole backend on one machine: emulators, the stack's table and queues, the catalogue's
// handlers behind a local API Gateway, SQS event sources, schedules, and the sandbox routes.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { resetSystemClock, setSystemClock, shiftSystemClock, systemClock } from '#adapters/clock';
import { resetDependencies } from '#adapters/dependencies';
import { teams } from '#domain/case-model';
import { staffRoles } from '#domain/staff-permissions';
import { parseLimits, sandboxLimits } from '#shared/abuse-limits';
import { resetConfigCache } from '#shared/config';
import { buckets } from '#shared/storage-buckets';
import type { JobName } from '#shared/work-queues';
import { messageForPeople } from '../../functions/middleware/validation-messages.ts';
import { siteSecurityHeadersWith } from '../../web/site-routes.ts';
import {
  apiThrottle,
  consumerOf,
  defaultSendRates,
  type FunctionDefinition,
  functions,
  queueSizing,
  type SendRates,
} from '../catalogue.ts';
import { type CountingProxies, startCountingProxies } from './counting-proxy.ts';
import {
  defaultSandboxHost,
  ensurePortsFree,
  type RunningEmulator,
  startDynamoDbLocal,
  startS3Emulator,
  startSesEmulator,
  startSqsEmulator,
} from './emulators.ts';
import { type FaultRates, parseFaultRates, type SandboxFaults, startSandboxFaults } from './fault-proxy.ts';
import {
  compileRoutes,
  gatewayListener,
  type SandboxRouteResult,
  serverMaxHeaderBytes,
  tokenBucket,
} from './http-gateway.ts';
import { startInboundChannels } from './inbound-channels.ts';
import {
  invocationCounts,
  queueDepth,
  reservedInvoker,
  resetInvocationCounts,
  runInvocationsConcurrently,
  SqsEventSource,
  sandboxAccount,
  sandboxConcurrencyOf,
  sandboxRegion,
  scheduledEvent,
} from './lambda-runtime.ts';
import { type LocalIssuer, localIssuer } from './local-issuer.ts';
import {
  bucketEnvironment,
  createBuckets,
  createCaseTable,
  createQueues,
  queueEnvironment,
  reachableQueueUrl,
  type SandboxBucket,
  type SandboxQueue,
} from './resources.ts';
import { type CreatedObject, s3EventNotification } from './s3-front.ts';
import { sandboxEntry } from './sandbox-log.ts';
import { jsonFile, persistSesInbox, stateFiles } from './sandbox-state.ts';
import { startSesEventSimulator } from './ses-event-simulator.ts';
import { type SentSms, smsEmulator } from './sms-emulator.ts';
import { serveSite } from './static-site.ts';
import { enforceCatalogueGrants } from './table-grants.ts';
import { startTableStreams } from './table-streams.ts';

export interface SandboxOptions {
  port: number;
  dynamoDbPort: number;
  sqsPort: number;
  sesPort: number;
  /** The S3 emulator's front (uploads, presigned POSTs); 0 or absent: any free port. */
  s3Port?: number;
  /** The SMTP server that receives mail as SES receiving would (issue 16); 0 or absent: any free port. */
  smtpPort?: number;
  /** Where DynamoDB Local, the queues and the signing key keep their data across restarts. */
  dataDir: string;
  /** The address to listen on; 127.0.0.1 unless SANDBOX_HOST says otherwise (DynamoDB Local cannot be told). */
  host?: string;
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
  /**
   * The send rates the notification consumers are sized to, as a deployment's context sets them; default
   * from SANDBOX_SEND_RATES (`email:sms` per second), else `defaultSendRates` (a new SES account's 14/s).
   */
  sendRates?: SendRates;
  /** `memory`: DynamoDB Local keeps the table in memory, not in the data folder. Default from SANDBOX_DYNAMODB. */
  dynamoDb?: 'file' | 'memory';
  /** HTTP invocations at once; more wait at the gateway. Default from SANDBOX_HTTP_CONCURRENCY, else 4. */
  httpConcurrency?: number;
  /** What the sandbox has to say about itself: start-up notes and failures (default: stdout). */
  log?: (line: string) => void;
  /** One line per HTTP request; by default printed only when `log` is too (not for callers that collect it). */
  requestLog?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  /** The stack's queues, by the URL the AWS CLI prints for them. */
  queueUrls: Record<string, string>;
  endpoints: { dynamodb: string; sqs: string; ses: string; s3: string; smtp: string };
  /** The fault proxies in front of the emulators, with what they failed so far. */
  faults: SandboxFaults;
  stop(): Promise<void>;
}

/** The sandbox's case table (tools that reach DynamoDB Local directly, such as `npm run reindex`, name it). */
export const sandboxTableName = 'parcel-care-cases';
const tableName = sandboxTableName;
const queuePrefix = 'parcel-care';
/**
 * Older job names the jobs route still answers to. `survey-dispatch` re-queued due outbox notifications
 * every 5 minutes, which `sla-sweep` already did every minute; the two are one job now.
 */
const jobAliases: Readonly<Record<string, JobName>> = { 'survey-dispatch': 'sla-sweep' };

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? ((line: string) => console.log(line));
  const requestLog = options.requestLog ?? (options.log ? undefined : log);
  // Before any AWS client runs: the SDK asks for the InvokeStore too, and the first ask decides its kind.
  await runInvocationsConcurrently();
  // As IAM does in AWS: a function's DynamoDB requests beyond its catalogue access are refused.
  enforceCatalogueGrants();
  const host = options.host ?? defaultSandboxHost;
  // Every port checked before anything starts, so a second sandbox says so in one line.
  await ensurePortsFree(host, [
    { service: 'The HTTP API (sandbox gateway)', variable: 'PORT', port: options.port },
    { service: 'DynamoDB Local', variable: 'DYNAMODB_PORT', port: options.dynamoDbPort },
    { service: 'The SQS emulator (fauxqs)', variable: 'SQS_PORT', port: options.sqsPort },
    { service: 'The SES emulator (aws-ses-v2-local)', variable: 'SES_PORT', port: options.sesPort },
    { service: 'The S3 emulator (fauxqs behind its front)', variable: 'S3_PORT', port: options.s3Port ?? 0 },
    { service: 'The SMTP server (mail in)', variable: 'SMTP_PORT', port: options.smtpPort ?? 0 },
  ]);
  mkdirSync(options.dataDir, { recursive: true });
  const started: RunningEmulator[] = [];
  // Set once the queues exist; an object stored before then (none is) would go unannounced.
  let announce: (object: CreatedObject) => void = () => {};
  const stopAll = async () => {
    for (const emulator of started.reverse()) await emulator.stop().catch(() => {});
  };

  try {
    // In memory (SANDBOX_DYNAMODB=memory) DynamoDB Local writes about twice as fast, and keeps nothing.
    const inMemory = (options.dynamoDb ?? process.env.SANDBOX_DYNAMODB) === 'memory';
    const dynamodb = await startDynamoDbLocal({
      port: options.dynamoDbPort,
      ...(inMemory ? {} : { dataDir: path.join(options.dataDir, 'dynamodb') }),
    });
    if (inMemory) log('DynamoDB Local in memory: the cases go when the sandbox stops');
    started.push(dynamodb);
    const sqs = await startSqsEmulator({
      port: options.sqsPort,
      host,
      dataDir: path.join(options.dataDir, 'sqs'),
    });
    started.push(sqs);
    const ses = await startSesEmulator({ port: options.sesPort, host });
    started.push(ses);
    const url = `http://127.0.0.1:${options.port}`;
    // fauxqs stores the objects; the functions and browsers reach S3 through the front on S3_PORT.
    const s3 = await startS3Emulator({
      sqsEndpoint: sqs.endpoint,
      ...(options.s3Port ? { port: options.s3Port } : {}),
      host,
      allowedOrigins: () => [url, `http://localhost:${options.port}`],
      onObjectCreated: (object) => announce(object),
    });
    started.push(s3);

    // SANDBOX_SES_INBOX=memory (the incident bench's 10,000 mails): the inbox is not rewritten every second.
    if (process.env.SANDBOX_SES_INBOX !== 'memory') {
      const inbox = persistSesInbox(options.dataDir);
      started.push({ endpoint: '', port: 0, stop: async () => inbox.stop() });
    }
    const clockFile = jsonFile<{ shiftMs: number }>(options.dataDir, stateFiles.clock);
    const savedShift = clockFile.read()?.shiftMs;
    if (typeof savedShift === 'number' && savedShift !== 0) {
      resetSystemClock();
      shiftSystemClock(savedShift);
      log(
        `Clock: ${systemClock.now().toISOString()} (shifted ${formatShift(savedShift)}, kept from the last run)`,
      );
    }

    const smsLog = jsonFile<SentSms[]>(options.dataDir, stateFiles.smsLog);
    const sms = smsEmulator({ sent: smsLog.read() ?? [], onSent: (all) => smsLog.write([...all]) });
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
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      TABLE_NAME: tableName,
      SENDER_EMAIL: process.env.SENDER_EMAIL ?? 'care@parcel-care.example',
      PUBLIC_BASE_URL: url,
      HMAC_SECRET: sandboxSecret(options.dataDir),
      POWERTOOLS_SERVICE_NAME: 'parcel-care',
      POWERTOOLS_METRICS_NAMESPACE: 'ParcelCare',
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
      STAGE: 'sandbox',
      ABUSE_LIMITS: JSON.stringify(parseLimits(process.env.SANDBOX_LIMITS ?? '', sandboxLimits)),
      // The same document the stack deploys to AppConfig; an edit holds for the next case (README, Service policy).
      SERVICE_POLICY_FILE: path.resolve(
        process.env.SANDBOX_POLICY_FILE ?? path.join(import.meta.dirname, '../../policy/service-policy.json'),
      ),
      // Replies to case emails come back through SMTP_PORT to this address's signed variants.
      INBOUND_EMAIL_ADDRESS: process.env.INBOUND_EMAIL_ADDRESS ?? 'care@parcel-care.example',
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
    const s3Client = new S3Client({ endpoint: sqs.endpoint, forcePathStyle: true });
    const createdBuckets = await createBuckets(s3Client, queuePrefix);
    Object.assign(process.env, bucketEnvironment(createdBuckets));
    // fauxqs has no bucket notifications: the front announces each stored object as S3 would.
    announce = (object) => {
      const notify = bucketNotification(createdBuckets, object);
      const queue = createdQueues.find((created) => created.name === notify?.queue);
      if (!queue) return;
      sqsClient
        .send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: s3EventNotification(object, sandboxRegion, systemClock.now()),
          }),
        )
        .catch((error) => log(`[s3-notifications] ${(error as Error).stack ?? error}`));
    };
    const inbound = await startInboundChannels({
      smtpPort: options.smtpPort ?? 0,
      host,
      sqs: sqsClient,
      emailQueueUrl: createdQueues.find((queue) => queue.name === 'inboundEmail')!.url,
      smsQueueUrl: createdQueues.find((queue) => queue.name === 'inboundSms')!.url,
      s3: s3Client,
      bucket: `${queuePrefix}-inbound-mail`,
      region: sandboxRegion,
      account: sandboxAccount,
      onError: (error) => log(`[smtp] ${(error as Error).stack ?? error}`),
      routeError: sandboxError,
    });
    started.push({
      endpoint: '',
      port: inbound.smtpPort,
      stop: async () => {
        await inbound.stop();
        s3Client.destroy();
      },
    });
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
      const sizing = queueSizing(
        consumer.trigger,
        options.sendRates ?? parseSendRates(process.env.SANDBOX_SEND_RATES) ?? defaultSendRates,
      );
      const source = new SqsEventSource({
        client: sqsClient,
        fn: consumer,
        queueUrl: queue.url,
        queueArn: arn ?? queue.url,
        batchSize: sizing.batchSize,
        maxConcurrency: sandboxConcurrencyOf(sizing.maxConcurrency),
        duplicateDelivery,
        onError: (error) => log(`[${consumer.name}] ${(error as Error).stack ?? error}`),
      });
      source.start();
      eventSources.push(source);
    }

    // The case table's stream to CaseChangeCompleter, polled from DynamoDB Local itself (not counted).
    const tableStreams = await startTableStreams({
      endpoint: dynamodb.endpoint,
      tableName,
      functions,
      dataDir: options.dataDir,
      log,
    });
    started.push({ endpoint: '', port: 0, stop: () => tableStreams.stop() });

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
    // The pages upload attachments to the S3 front and show them from it.
    const pageHeaders = siteSecurityHeadersWith([s3.endpoint, s3.endpoint.replace('127.0.0.1', 'localhost')]);
    const jobs = new Map<string, FunctionDefinition>(
      functions.flatMap((fn) => (fn.trigger.kind === 'schedule' ? [[fn.trigger.job, fn] as const] : [])),
    );
    // Each job's function with its reserved concurrency (the sweep: one run at a time).
    const jobInvokers = new Map([...jobs].map(([job, fn]) => [job, reservedInvoker(fn)] as const));
    const timers: NodeJS.Timeout[] = [];
    if (options.schedules !== false) {
      for (const [job, fn] of jobs) {
        if (fn.trigger.kind !== 'schedule') continue;
        timers.push(
          setInterval(() => {
            const run = jobInvokers.get(job)?.tryInvoke(scheduledEvent(job, systemClock.now()));
            if (run === 'throttled') log(`[${fn.name}] still running: this minute's run is skipped`);
            else run?.catch((error) => log(`[${fn.name}] ${(error as Error).stack ?? error}`));
          }, fn.trigger.everyMinutes * 60_000),
        );
      }
    }

    const waitForQueuesToDrain = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      while (Date.now() < deadline) {
        const depths = await Promise.all(createdQueues.map((queue) => queueDepth(sqsClient, queue.url)));
        const streams = await tableStreams.report();
        const idle =
          [...depths, ...streams].every((depth) => depth.visible + depth.inFlight + depth.delayed === 0) &&
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
      if (pathname === '/_sandbox/sms/inbound') return inbound.smsRoute(method, body);
      if (pathname === '/_sandbox/clock') {
        const result = clockRoute(method, body);
        if (method === 'POST' && result.status === 200) {
          clockFile.write({ shiftMs: systemClock.now().getTime() - Date.now() });
        }
        return result;
      }
      if (pathname === '/_sandbox/token' && method === 'POST') return tokenRoute(issuer, body);
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
        const [queues, streams] = await Promise.all([
          queueReport(sqsClient, createdQueues),
          tableStreams.report(),
        ]);
        return { status: 200, body: { queues: [...queues, ...streams] } };
      }
      if (pathname === '/_sandbox/stream-failures' && method === 'GET') {
        return { status: 200, body: { failures: tableStreams.failures() } };
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
        const result = await jobInvokers
          .get(job)
          ?.invokeInTurn(() => scheduledEvent(job as JobName, systemClock.now()));
        const drained = await waitForQueuesToDrain(20_000);
        return { status: 200, body: { job, ranAt, result: result ?? null, drained } };
      }
      return null;
    };

    const server: Server = createServer(
      { maxHeaderSize: serverMaxHeaderBytes },
      gatewayListener({
        routes: compileRoutes(functions),
        issuer,
        now: () => systemClock.now(),
        sandboxRoutes,
        site: (method, pathname, response) =>
          serveSite(
            method,
            pathname,
            response,
            () => ({ apiUrl: '', auth: { kind: 'sandbox' }, clockUrl: '/_sandbox/clock' }),
            pageHeaders,
          ),
        throttle: tokenBucket(
          options.throttle ?? parseThrottle(process.env.SANDBOX_API_THROTTLE) ?? apiThrottle,
        ),
        concurrency: options.httpConcurrency ?? (Number(process.env.SANDBOX_HTTP_CONCURRENCY) || 4),
        onError: (error) => log(`[gateway] ${(error as Error).stack ?? error}`),
        // One line per request; the sandbox's own GETs (polled by tests and tools) stay quiet.
        onRequest: ({ routeKey, status, ms }) => {
          if (!requestLog || routeKey.startsWith('GET /_sandbox/')) return;
          requestLog(
            sandboxEntry(status >= 500 ? 'ERROR' : 'INFO', 'http', `${routeKey} → ${status} in ${ms} ms`),
          );
        },
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });

    return {
      url,
      queueUrls: Object.fromEntries(createdQueues.map((queue) => [queue.name, queue.awsCliUrl])),
      endpoints: {
        dynamodb: dynamodb.endpoint,
        sqs: sqs.endpoint,
        ses: ses.endpoint,
        s3: s3.endpoint,
        smtp: `smtp://127.0.0.1:${inbound.smtpPort}`,
      },
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

/** Where a stored object is announced (the bucket's notification), if its key is under the prefix. */
function bucketNotification(created: readonly SandboxBucket[], object: CreatedObject) {
  const bucket = created.find((candidate) => candidate.bucketName === object.bucket);
  const notify = buckets.find((definition) => definition.name === bucket?.name)?.notify;
  return notify && object.key.startsWith(notify.prefix) ? notify : undefined;
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

/** `SANDBOX_SEND_RATES=1000:100` → consumers sized to 1,000 emails and 100 SMS a second (as context `sesSendRatePerSecond`, `smsSendRatePerSecond`). */
export function parseSendRates(text: string | undefined): SendRates | undefined {
  if (!text) return undefined;
  const [emailPerSecond, smsPerSecond] = text.split(':').map(Number);
  if (!(emailPerSecond! > 0 && smsPerSecond! > 0)) {
    throw new Error(`SANDBOX_SEND_RATES: "${text}" is not email:sms per second, e.g. 1000:100`);
  }
  return { emailPerSecond: emailPerSecond!, smsPerSecond: smsPerSecond! };
}

function formatShift(ms: number): string {
  const hours = ms / 3_600_000;
  return `${hours >= 0 ? '+' : '−'}${Math.abs(hours).toFixed(1)} h`;
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
  if (method !== 'POST') return sandboxError(405, 'method_not_allowed', 'GET or POST');
  let parsed: ReturnType<typeof clockChangeSchema.safeParse>;
  try {
    parsed = clockChangeSchema.safeParse(JSON.parse(body || '{}'), { error: messageForPeople });
  } catch {
    return sandboxError(400, 'invalid_json', 'The body is not valid JSON');
  }
  if (!parsed.success) {
    return sandboxError(
      400,
      'validation_error',
      'Send { "advance": "PT3H" }, { "set": "2026-11-23T08:00:00.000Z" } or { "reset": true }',
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(body)',
        message: issue.message,
      })),
    );
  }
  const change = parsed.data;
  if ('advance' in change) shiftSystemClock(durationMs(change.advance)!);
  else if ('set' in change) setSystemClock(new Date(change.set));
  else resetSystemClock();
  return report();
}

/** A sandbox-only route's error, in API.md's shape. */
function sandboxError(
  status: number,
  code: string,
  message: string,
  details?: Array<{ path: string; message: string }>,
): SandboxRouteResult {
  return {
    status,
    body: { error: { code, message, ...(details ? { details } : {}), requestId: randomUUID() } },
  };
}

const tokenRequestSchema = z.object({
  roles: z.array(z.enum(staffRoles)).min(1),
  sub: z.string().trim().min(1).max(128),
  email: z.email().optional(),
  teams: z.array(z.enum(teams)).optional(),
});

/** The workspace's sandbox sign-in: a staff token from the local issuer, as `npm run -s token` prints. */
async function tokenRoute(issuer: LocalIssuer, body: string): Promise<SandboxRouteResult> {
  let parsed: ReturnType<typeof tokenRequestSchema.safeParse>;
  try {
    parsed = tokenRequestSchema.safeParse(JSON.parse(body || '{}'));
  } catch {
    parsed = tokenRequestSchema.safeParse(undefined);
  }
  if (!parsed.success) {
    return sandboxError(
      400,
      'validation_error',
      `Send { "roles": ["agent"], "sub": "alice", "email"?: "…", "teams"?: ["service"] }; roles: ${staffRoles.join(', ')}`,
    );
  }
  const now = systemClock.now();
  const validForSeconds = 12 * 3600;
  const token = await issuer.sign(parsed.data, now, validForSeconds);
  return {
    status: 200,
    body: { token, expiresAt: new Date(now.getTime() + validForSeconds * 1000).toISOString() },
  };
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
        awsCliUrl: queue.awsCliUrl,
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
