// Every HTTP handler is built here: middy with the logger, body checks (64 KiB, JSON only),
// zod validation of body, path and query, and one mapping from errors to API.md's error shape.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { dependencies } from '#adapters/dependencies';
import {
  DomainError,
  type ErrorDetail,
  InvalidJson,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
} from '#domain/errors';
import { logger, tracer } from '#shared/observability';
import type { Dependencies } from '#use-cases/ports';
import { type StaffMember, staffFromEvent } from './staff-claims.ts';
import { messageForPeople } from './validation-messages.ts';

export const maxBodyBytes = 64 * 1024;

type Schema = z.ZodType;
type Parsed<S> = S extends Schema ? z.output<S> : undefined;

export interface RouteSpec<B, P, Q> {
  body?: B;
  path?: P;
  query?: Q;
  /** Agent routes read the authorizer's claims; customer routes have none. */
  auth?: 'staff';
}

export interface RouteRequest<B, P, Q> {
  body: Parsed<B>;
  rawBody: unknown;
  path: Parsed<P>;
  query: Parsed<Q>;
  headers: Record<string, string | undefined>;
  staff: StaffMember | undefined;
  requestId: string;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpRoute<
  B extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, P, Q>,
  run: (request: RouteRequest<B, P, Q>, deps: Dependencies) => Promise<RouteResult>,
): ApiHandler {
  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const headers = lowerCaseHeaders(event.headers);
    const staff = spec.auth === 'staff' ? staffFromEvent(event) : undefined;
    const path = spec.path ? validate(spec.path, event.pathParameters ?? {}, 'path') : undefined;
    const query = spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : undefined;
    let rawBody: unknown;
    let body: unknown;
    if (spec.body) {
      rawBody = readJsonBody(event, headers);
      body = validate(spec.body, rawBody, 'body');
    }
    const result = await run(
      { body, rawBody, path, query, headers, staff, requestId } as RouteRequest<B, P, Q>,
      await dependencies(),
    );
    return json(result.status ?? 200, result.body, requestId, result.headers);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .handler(async (event) => {
      try {
        return await core(event);
      } catch (error) {
        return errorResponse(error, event.requestContext?.requestId ?? 'unknown');
      }
    });
  return handler as unknown as ApiHandler;
}

function lowerCaseHeaders(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

function readJsonBody(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) {
    throw new PayloadTooLarge(`The body is larger than ${maxBodyBytes / 1024} KiB`);
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

function validate<S extends Schema>(
  schema: S,
  input: unknown,
  where: 'body' | 'path' | 'query',
): z.output<S> {
  const parsed = schema.safeParse(input, { error: messageForPeople });
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : `(${where})`,
    message: issue.message,
  }));
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
    if (error.httpStatus >= 500) logger.error('Domain error', error);
    return json(
      error.httpStatus,
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
          requestId,
        },
      },
      requestId,
    );
  }
  // Anything unexpected: the stack goes to the log, the caller gets only the request id.
  logger.error('Unhandled error', error as Error);
  return json(500, { error: { code: 'internal_error', message: 'Internal error', requestId } }, requestId);
}
