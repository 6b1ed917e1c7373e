// Every DynamoDB request the code under test sends, as the service receives it (operation and body), for
// tests that count a use case's calls, stop a writer at one request as a lost connection would, or hold
// one request back while another caller runs. Every DynamoDB client made after `watchDynamoRequests()` is
// watched (the test file calls it before it makes any: clients are made on first use).
import { onAwsClientCreated } from '#adapters/aws-clients';
import type { MiddlewareClient } from '../../infra/sandbox/table-grants.ts';

export interface DynamoRequest {
  /** PutItem, TransactWriteItems, … */
  operation: string;
  /** The request's JSON body (attribute values in DynamoDB's form: `{ entity: { S: 'case' } }`). */
  body: { Item?: Record<string, { S?: string }>; TransactItems?: unknown[] } & Record<string, unknown>;
}

const sent: DynamoRequest[] = [];
let failWhen: ((request: DynamoRequest) => boolean) | undefined;
let holdWhen:
  | { matches: (request: DynamoRequest) => boolean; arrived(): void; released: Promise<void> }
  | undefined;
let watching = false;

function watch(client: object): void {
  const candidate = client as MiddlewareClient;
  if (candidate.config?.serviceId !== 'DynamoDB' || !candidate.middlewareStack) return;
  candidate.middlewareStack.add(
    (next) => async (args) => {
      const request = (args as { request?: { headers?: Record<string, string>; body?: unknown } }).request;
      const target = request?.headers?.['x-amz-target'] ?? '';
      const body = request?.body;
      const text = body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body ?? '{}');
      const seen: DynamoRequest = {
        operation: target.slice(target.indexOf('.') + 1),
        body: JSON.parse(text),
      };
      sent.push(seen);
      if (failWhen?.(seen)) {
        failWhen = undefined;
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      const hold = holdWhen;
      if (hold?.matches(seen)) {
        holdWhen = undefined;
        hold.arrived();
        await hold.released;
      }
      return next(args);
    },
    { step: 'build', name: 'testDynamoRequests', priority: 'low' },
  );
}

/** From now on, every DynamoDB client made is watched (once per test file). */
export function watchDynamoRequests(): void {
  if (watching) return;
  watching = true;
  onAwsClientCreated(watch);
}

/** The requests sent while `work` ran (nothing else may run meanwhile), and its result. */
export async function requestsDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; requests: DynamoRequest[] }> {
  const from = sent.length;
  const result = await work();
  return { result, requests: sent.slice(from) };
}

/** The next request that matches fails, unsent, as on a lost connection; the ones after it go through. */
export function failNextRequest(matches: (request: DynamoRequest) => boolean): void {
  failWhen = matches;
}

/** A PutItem of an item of this entity (`case`, `idempotency`, `timeline`, `contactCase`, …). */
export const putOf =
  (entity: string) =>
  (request: DynamoRequest): boolean =>
    request.operation === 'PutItem' && request.body.Item?.entity?.S === entity;

/**
 * The next request that matches waits, unsent, until released: `reached` settles when it arrives. The
 * ones after it go through.
 */
export function holdNextRequest(matches: (request: DynamoRequest) => boolean): {
  reached: Promise<void>;
  release(): void;
} {
  let arrived = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  holdWhen = { matches, arrived, released };
  return { reached, release };
}
