// Every HTTP handler is built here from its route's contract: middy with the logger, the staff claims
// (jwt) or case token (case-token), body checks (64 KiB, JSON only), zod validation of body, path and
// query, the contract's success status, and the one mapping from errors to API.md's statuses and shape.

import { isIP } from 'node:net';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type PortGroup, wireDependencies } from '#adapters/wiring/wire';
import {
  DomainError,
  type ErrorCode,
  type ErrorDetail,
  InvalidJson,
  PayloadTooLarge,
  RateLimited,
  UnsupportedMediaType,
  ValidationFailed,
} from '#domain/errors';
import { jsonTextDepth, maxNestingDepth } from '#domain/nesting-depth';
import type { StaffMember } from '#domain/staff-permissions';
import { parseAsOf } from '#events/common';
import { caseTokenQuerySchema, type RouteContract, viewerIpHeader } from '#events/route-contract';
import { logger } from '#shared/observability';
import type * as z from '#shared/zod';
import type { Dependencies } from '#use-cases/ports';
import { staffFromEvent } from './staff-claims.ts';
import { messageForPeople } from './validation-messages.ts';

export const maxBodyBytes = 64 * 1024;

/** The one place an error becomes an HTTP status (API.md, "Errors"). */
const httpStatusOf: Record<ErrorCode, number> = {
  validation_error: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
};

type Parsed<C, K extends 'body' | 'params' | 'query'> = C extends {
  [key in K]: infer S extends z.ZodMiniType;
}
  ? z.output<S>
  : undefined;

/** What the handler gets: the validated request, typed from its route's contract. */
export interface RouteRequest<C extends RouteContract> {
  body: Parsed<C, 'body'>;
  rawBody: unknown;
  path: Parsed<C, 'params'>;
  query: Parsed<C, 'query'>;
  headers: Record<string, string | undefined>;
  /** Agent routes: the staff member from the authorizer's claims. */
  staff: C['auth'] extends 'jwt' ? StaffMember : undefined;
  /** Customer routes: the case token, from header X-Case-Token or ?token=. */
  caseToken: C['auth'] extends 'case-token' ? string | undefined : undefined;
  requestId: string;
  /** The caller's address: the viewer's, as CloudFront names it, else as API Gateway saw it. */
  sourceIp: string;
}

/** The status is the contract's success status; the body is checked against its response schema's type. */
export interface RouteResult<C extends RouteContract = RouteContract> {
  body?: C['success'] extends { schema: infer S extends z.ZodMiniType } ? z.input<S> : unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpRoute<C extends RouteContract>(
  contract: C,
  /** The port groups the route uses: only their adapters are bundled and built. */
  uses: readonly PortGroup[],
  run: (request: RouteRequest<C>, deps: Dependencies) => Promise<RouteResult<C>>,
): ApiHandler {
  const dependencies = wireDependencies(uses);
  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const headers = lowerCaseHeaders(event.headers);
    const staff = contract.auth === 'jwt' ? staffFromEvent(event) : undefined;
    const deps = await dependencies();
    // Date rules in the schemas compare with the clock every function reads (the sandbox's may be moved).
    const now = deps.clock.now();
    const path = contract.params
      ? validate(contract.params, event.pathParameters ?? {}, 'path', now)
      : undefined;
    const queryParameters = event.queryStringParameters ?? {};
    const query = contract.query ? validate(contract.query, queryParameters, 'query', now) : undefined;
    const tokenQuery =
      contract.auth === 'case-token'
        ? validate(caseTokenQuerySchema, queryParameters, 'query', now)
        : undefined;
    const caseToken = tokenQuery ? (headers['x-case-token'] ?? tokenQuery.token) : undefined;
    let rawBody: unknown;
    let body: unknown;
    if (contract.body) {
      rawBody = readJsonBody(event, headers, contract.maxBodyBytes ?? maxBodyBytes);
      body = validate(contract.body, rawBody, 'body', now);
    }
    const result = await run(
      {
        body,
        rawBody,
        path,
        query,
        headers,
        staff,
        caseToken,
        requestId,
        sourceIp: sourceIpOf(event, headers),
      } as RouteRequest<C>,
      deps,
    );
    return json(contract.success.status, result.body, requestId, result.headers);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      try {
        return await core(event);
      } catch (error) {
        return errorResponse(error, event.requestContext?.requestId ?? 'unknown');
      }
    });
  return handler as unknown as ApiHandler;
}

/**
 * Behind CloudFront, API Gateway's source IP is the edge's, shared by every viewer it serves; CloudFront's
 * function puts the viewer's own in a header. Only an address counts: anything else (a caller going around
 * CloudFront with junk, or several values joined) falls back to API Gateway's, so a limit's key stays small.
 */
function sourceIpOf(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>): string {
  const viewerIp = headers[viewerIpHeader]?.trim();
  if (viewerIp && isIP(viewerIp) !== 0) return viewerIp;
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}

function lowerCaseHeaders(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

function readJsonBody(
  event: APIGatewayProxyEventV2,
  headers: Record<string, string | undefined>,
  limitBytes: number,
): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > limitBytes) {
    throw new PayloadTooLarge(`The body is larger than ${limitBytes / 1024} KiB`);
  }
  const contentType = headers['content-type'];
  if (text.length > 0 && !isJsonContentType(contentType)) {
    throw new UnsupportedMediaType('Send the body as application/json');
  }
  if (text.trim().length === 0) {
    throw new ValidationFailed('Request body is invalid', [
      { path: '(body)', message: 'A JSON body is required' },
    ]);
  }
  // Before the parse and everything after it (validation, the idempotency fingerprint, logs) recurses.
  if (jsonTextDepth(text) > maxNestingDepth) {
    throw new ValidationFailed('Request body is invalid', [
      { path: '(body)', message: `Nests deeper than ${maxNestingDepth} levels` },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJson('The body is not valid JSON');
  }
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))
  );
}

/** Validates as of `now`, the request's time, which the schemas' date rules compare with. */
function validate<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  where: 'body' | 'path' | 'query',
  now: Date,
): z.output<S> {
  const parsed = parseAsOf(schema, input, now, messageForPeople);
  if (parsed.success) return parsed.data;
  const pathOf = (path: PropertyKey[]) => (path.length > 0 ? path.join('.') : `(${where})`);
  // An unknown key is named by its own path, one detail each, like any other failing field.
  const details: ErrorDetail[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'Unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
  const label = where === 'body' ? 'Request body' : where === 'path' ? 'Path' : 'Query';
  throw new ValidationFailed(`${label} is invalid`, details);
}

function json(
  status: number,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': requestId,
      ...extraHeaders,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    return json(
      httpStatusOf[error.code],
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
          requestId,
        },
      },
      requestId,
      error instanceof RateLimited ? { 'retry-after': String(error.retryAfterSeconds) } : {},
    );
  }
  // Anything unexpected: the stack goes to the log, the caller gets only the request id.
  logger.error('Unhandled error', error as Error);
  return json(500, { error: { code: 'internal_error', message: 'Internal error', requestId } }, requestId);
}
