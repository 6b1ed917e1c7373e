// Fault injection for the sandbox and the tests: an HTTP proxy in front of an emulator that fails a
// share of the calls the way AWS fails them (throttling and 5xx, in each service's own error format),
// so the SDK's retries, the queue's backoff and the DLQ can be watched on one laptop.
// `SANDBOX_FAULTS=ses:0.3,sqs-send:0.1,sms:0.2` starts one per service named.
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

export const faultServices = ['ses', 'sqs-send', 'sms'] as const;
export type FaultService = (typeof faultServices)[number];
export type FaultRates = Partial<Record<FaultService, number>>;

/** `ses:0.3,sqs-send:0.1` → { ses: 0.3, 'sqs-send': 0.1 }; anything else is refused with the reason. */
export function parseFaultRates(text: string | undefined): FaultRates {
  const rates: FaultRates = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim())) {
    if (!part) continue;
    const [service, value, ...rest] = part.split(':');
    const rate = Number(value);
    if (!faultServices.includes(service as FaultService) || rest.length > 0) {
      throw new Error(`SANDBOX_FAULTS: unknown "${part}"; use ${faultServices.join(', ')} as service:share`);
    }
    if (value === undefined || value.trim() === '' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`SANDBOX_FAULTS: the share in "${part}" must be a number from 0 to 1`);
    }
    rates[service as FaultService] = rate;
  }
  return rates;
}

export interface AwsFailure {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json10 = 'application/x-amz-json-1.0';

/** Each service's throttling and server errors, as its SDK client parses them (and retries them). */
const failuresOf: Record<FaultService, readonly AwsFailure[]> = {
  // SESv2 speaks REST-JSON: the error name travels in x-amzn-ErrorType.
  ses: [
    {
      status: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
      body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
    },
    {
      status: 500,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' },
      body: JSON.stringify({ message: 'The request processing has failed because of an unknown error.' }),
    },
  ],
  // SQS speaks AWS JSON 1.0, with the query-compatible error code in x-amzn-query-error.
  'sqs-send': [
    {
      status: 500,
      headers: { 'content-type': json10, 'x-amzn-query-error': 'InternalError;Receiver' },
      body: JSON.stringify({
        __type: 'com.amazonaws.sqs#InternalError',
        message: 'We encountered an internal error. Please try again.',
      }),
    },
  ],
  sms: [
    {
      status: 400,
      headers: { 'content-type': json10 },
      body: JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }),
    },
    {
      status: 500,
      headers: { 'content-type': json10 },
      body: JSON.stringify({ __type: 'InternalServerException', Message: 'Internal server error' }),
    },
  ],
};

/** Which calls may fail: sends only, never the emulators' own pages (the SES store, the SMS list). */
function mayFail(service: FaultService, incoming: IncomingMessage): boolean {
  const target = String(incoming.headers['x-amz-target'] ?? '');
  if (service === 'sqs-send') return /^AmazonSQS\.SendMessage(Batch)?$/.test(target);
  if (service === 'sms') return target.startsWith('PinpointSMSVoiceV2.');
  return (incoming.url ?? '').startsWith('/v2/');
}

export interface FaultStats {
  /** Calls that could have failed (sends). */
  calls: number;
  failed: number;
}

export interface FaultProxy {
  service: FaultService;
  endpoint: string;
  port: number;
  /** Share of calls to fail from now on, 0–1. */
  setFailureRate(rate: number): void;
  stats(): FaultStats;
  stop(): Promise<void>;
}

/** What a proxy hook decides for one call: answer it here, or forward it (with this body). */
export type ProxyDecision = { answer: AwsFailure } | { forward: Buffer };

export interface ProxyHooks {
  /** Sees each call before it is forwarded; may answer it itself or change the body it forwards. */
  before?(incoming: IncomingMessage, body: Buffer): ProxyDecision | Promise<ProxyDecision>;
  /** With this hook the emulator's answer is read whole (not streamed) and handed over once sent on. */
  after?(incoming: IncomingMessage, forwarded: Buffer, status: number, answer: Buffer): void;
  /** Headers added to every answer, the proxy's own and the emulator's (CORS, for a browser caller). */
  extraHeaders?(incoming: IncomingMessage): Record<string, string>;
}

export interface RunningProxy {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** The plumbing every sandbox proxy shares: an HTTP server that forwards each call to `target` as it came. */
export async function startProxy(
  target: URL,
  hooks: ProxyHooks,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => {
      // The caller went away mid-request; there is no one left to answer.
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
  });
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const decision = (await hooks.before?.(incoming, Buffer.concat(chunks))) ?? {
      forward: Buffer.concat(chunks),
    };
    const extra = hooks.extraHeaders?.(incoming) ?? {};
    if ('answer' in decision) {
      const { answer } = decision;
      outgoing.writeHead(answer.status, {
        ...answer.headers,
        ...extra,
        'x-amzn-requestid': randomUUID(),
        'content-length': String(Buffer.byteLength(answer.body)),
      });
      outgoing.end(answer.body);
      return;
    }
    const body = decision.forward;
    const upstream = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host, 'content-length': String(body.length) },
      },
      (answer) => {
        const after = hooks.after;
        if (!after) {
          outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extra });
          answer.pipe(outgoing);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () => {
          const whole = Buffer.concat(parts);
          outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extra });
          outgoing.end(whole);
          after(incoming, body, answer.statusCode ?? 502, whole);
        });
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('The emulator behind the sandbox proxy did not answer');
    });
    upstream.end(body);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${listening}`,
    port: listening,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startFaultProxy(options: {
  service: FaultService;
  /** The emulator's origin, e.g. http://127.0.0.1:8005; paths are kept as they come. */
  target: string;
  failureRate: number;
  port?: number;
  /** 0 ≤ random() < 1; a test can make the faults predictable. */
  random?: () => number;
}): Promise<FaultProxy> {
  const random = options.random ?? (() => randomInt(1_000_000) / 1_000_000);
  let failureRate = options.failureRate;
  const stats: FaultStats = { calls: 0, failed: 0 };
  const proxy = await startProxy(
    new URL(options.target),
    {
      before: (incoming, body) => {
        if (mayFail(options.service, incoming)) {
          stats.calls += 1;
          // Fail before forwarding: AWS did not act on a throttled or failed call, so neither does the emulator.
          if (failureRate > 0 && random() < failureRate) {
            stats.failed += 1;
            const failures = failuresOf[options.service];
            return { answer: failures[Math.floor(random() * failures.length)] ?? failures[0]! };
          }
        }
        return { forward: body };
      },
    },
    options.port,
  );
  return {
    service: options.service,
    endpoint: proxy.endpoint,
    port: proxy.port,
    setFailureRate: (rate) => {
      failureRate = rate;
    },
    stats: () => ({ ...stats }),
    stop: proxy.stop,
  };
}

export interface SandboxFaults {
  /** Where the functions should send each service's calls: the proxy when faulty, else the emulator. */
  endpoints: { ses: string; sqs: string; sms: string };
  proxies: FaultProxy[];
  /** One line for the start-up banner, or null without faults. */
  describe(): string | null;
  stats(): Partial<Record<FaultService, FaultStats>>;
  stop(): Promise<void>;
}

/** A proxy in front of each emulator with a non-zero fault rate; the others are used directly. */
export async function startSandboxFaults(
  rates: FaultRates,
  emulators: { ses: string; sqs: string; sms: string },
): Promise<SandboxFaults> {
  const proxies: FaultProxy[] = [];
  const targetOf = (service: FaultService) =>
    service === 'ses' ? emulators.ses : service === 'sqs-send' ? emulators.sqs : emulators.sms;
  const endpoints = { ...emulators };
  try {
    for (const service of faultServices) {
      const rate = rates[service] ?? 0;
      if (rate <= 0) continue;
      const target = new URL(targetOf(service));
      const proxy = await startFaultProxy({ service, target: target.origin, failureRate: rate });
      proxies.push(proxy);
      const endpoint = `${proxy.endpoint}${target.pathname.replace(/\/$/, '')}`;
      if (service === 'ses') endpoints.ses = endpoint;
      else if (service === 'sqs-send') endpoints.sqs = endpoint;
      else endpoints.sms = endpoint;
    }
  } catch (error) {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    throw error;
  }
  return {
    endpoints,
    proxies,
    describe: () =>
      proxies.length === 0
        ? null
        : `Fault injection: ${proxies.map((p) => `${p.service} ${Math.round((rates[p.service] ?? 0) * 100)} %`).join(', ')}`,
    stats: () => Object.fromEntries(proxies.map((proxy) => [proxy.service, proxy.stats()])),
    stop: async () => {
      await Promise.all(proxies.map((proxy) => proxy.stop()));
    },
  };
}
