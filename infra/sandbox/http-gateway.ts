// The sandbox's API Gateway: turns HTTP requests into APIGatewayProxyEventV2 events for the
// catalogue's handlers, runs the JWT check the authorizer would, and serves the sandbox routes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errors as joseErrors } from 'jose';
import type { FunctionDefinition } from '../catalogue.ts';
import { defaultRouteFunction } from '../default-route.ts';
import { concurrencyLimit, type InvokableFunction, invoke, sandboxAccount } from './lambda-runtime.ts';
import { claimsAsApiGatewayPassesThem, type LocalIssuer } from './local-issuer.ts';

/**
 * The stage's throttling as API Gateway applies it: a token bucket of `burstLimit` requests refilled at
 * `rateLimit` per second, shared by every route. Over it, 429 before any function runs.
 */
export function tokenBucket(limits: { rateLimit: number; burstLimit: number }, now: () => number = Date.now) {
  let tokens: number = limits.burstLimit;
  let last = now();
  return {
    take(): boolean {
      const at = now();
      tokens = Math.min(limits.burstLimit, tokens + ((at - last) / 1000) * limits.rateLimit);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** API Gateway's own payload limit; the handlers enforce API.md's 64 KiB themselves. */
const gatewayMaxBodyBytes = 10 * 1024 * 1024;

interface CompiledRoute {
  fn: InvokableFunction;
  method: string;
  template: string;
  pattern: RegExp;
  parameterNames: string[];
  auth: 'none' | 'jwt';
}

export function compileRoutes(functions: readonly FunctionDefinition[]): CompiledRoute[] {
  return functions.flatMap((fn) => {
    if (fn.trigger.kind !== 'http') return [];
    const parameterNames: string[] = [];
    const pattern = fn.trigger.path
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a, b) => {
        parameterNames.push(a ?? b);
        return '([^/]+)';
      });
    return [
      {
        fn,
        method: fn.trigger.method,
        template: fn.trigger.path,
        pattern: new RegExp(`^${pattern}$`),
        parameterNames,
        auth: fn.trigger.auth,
      },
    ];
  });
}

/** API Gateway's quota for the request line and headers together (HTTP APIs: 10,240 bytes). */
export const gatewayMaxHeaderBytes = 10_240;

/** The Node server's own limit, far above the gateway's, so the gateway answers in API.md's shape. */
export const serverMaxHeaderBytes = 1024 * 1024;

function headerBytes(request: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${request.method} ${request.url} HTTP/1.1`);
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    bytes +=
      Buffer.byteLength(request.rawHeaders[index]!) + Buffer.byteLength(request.rawHeaders[index + 1]!) + 4;
  }
  return bytes;
}

/** Malformed percent-encoding (`%E0%A4%A`) stays as sent, and the route's schema refuses it with a 400. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface GatewayRequestLog {
  routeKey: string;
  status: number;
  ms: number;
  requestId: string;
}

export interface SandboxRouteResult {
  status: number;
  body: unknown;
}

export type SandboxRoutes = (
  method: string,
  path: string,
  body: string,
  headers: IncomingMessage['headers'],
) => Promise<SandboxRouteResult | null> | SandboxRouteResult | null;

export function gatewayListener(options: {
  routes: CompiledRoute[];
  issuer: LocalIssuer;
  now: () => Date;
  sandboxRoutes: SandboxRoutes;
  /** The built pages (API.md "Pages"); answers true when it served the request. */
  site?: (method: string, pathname: string, response: ServerResponse) => boolean;
  onError: (error: unknown) => void;
  throttle?: { take(): boolean };
  /**
   * Invocations running at once; the rest wait here, before their function's timeout starts. In AWS each
   * invocation has an instance to itself; in the sandbox they share two cores and one DynamoDB Local, so
   * a burst let in all at once would time out inside the handlers instead of waiting its turn.
   */
  concurrency?: number;
  /** Called once per answered request, as the stage's access log would be written. */
  onRequest?: (entry: GatewayRequestLog) => void;
}) {
  const invocations = concurrencyLimit(options.concurrency ?? Number.POSITIVE_INFINITY);
  return async (request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
    const startedAt = performance.now();
    // The route key as the access log names it: the matched route's template, `$default`, or the path.
    let routeKey = `${request.method ?? 'GET'} ${(request.url ?? '/').split('?')[0]}`;
    response.once('finish', () =>
      options.onRequest?.({
        routeKey,
        status: response.statusCode,
        ms: Math.round(performance.now() - startedAt),
        requestId,
      }),
    );
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-request-id': requestId,
        ...headers,
      });
      response.end(text);
    };
    const gatewayError = (status: number, code: string, message: string) =>
      send(status, { error: { code, message, requestId } });

    try {
      const url = new URL(request.url ?? '/', 'http://sandbox.local');
      const method = (request.method ?? 'GET').toUpperCase();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > gatewayMaxBodyBytes)
          return gatewayError(413, 'payload_too_large', 'The body is too large');
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks).toString('utf8');

      if (url.pathname.startsWith('/_sandbox/')) {
        const result = await options.sandboxRoutes(method, url.pathname, body, request.headers);
        if (result) return send(result.status, result.body);
        return gatewayError(404, 'not_found', 'No such sandbox route');
      }

      if (headerBytes(request) > gatewayMaxHeaderBytes) {
        return gatewayError(400, 'validation_error', 'Request line and headers are larger than 10 KiB');
      }
      if (options.site?.(method, url.pathname, response)) return;

      if (options.throttle && !options.throttle.take()) {
        return send(
          429,
          {
            error: {
              code: 'rate_limited',
              message: 'Too many requests; try again shortly',
              details: [{ path: 'limit', message: 'api_throttle' }],
              requestId,
            },
          },
          { 'retry-after': '1' },
        );
      }

      // Like the stage: a request no route matches goes to the `$default` route's function.
      const route =
        options.routes.find(
          (candidate) => candidate.method === method && candidate.pattern.test(url.pathname),
        ) ?? defaultRoute;
      routeKey =
        route === defaultRoute ? `${method} ${url.pathname} ($default)` : `${method} ${route.template}`;

      const now = options.now();
      let claims: Record<string, string> | undefined;
      if (route.auth === 'jwt') {
        const header = request.headers.authorization ?? '';
        const token = header.match(/^Bearer\s+(.+)$/i)?.[1];
        // In AWS the JWT authorizer answers these itself, as 401 {"message":"Unauthorized"}: HTTP APIs
        // cannot shape it. The sandbox keeps API.md's shape, says why, and marks the difference.
        const unauthorized = (message: string) =>
          send(
            401,
            { error: { code: 'unauthorized', message, requestId } },
            { 'x-sandbox-note': 'in AWS the authorizer answers 401 {"message":"Unauthorized"}' },
          );
        if (!token) return unauthorized('Missing bearer token: send Authorization: Bearer <token>');
        try {
          claims = claimsAsApiGatewayPassesThem(await options.issuer.verify(token, now));
        } catch (error) {
          return unauthorized(whyTokenFailed(error, now));
        }
      }

      const match = url.pathname.match(route.pattern)!;
      const pathParameters = Object.fromEntries(
        route.parameterNames.map((name, index) => [name, decodePathSegment(match[index + 1]!)]),
      );
      const event = apiGatewayEvent({
        request,
        url,
        method,
        body,
        route,
        pathParameters,
        claims,
        now,
        requestId,
      });
      const result = (await invocations.run(() =>
        invoke(route.fn, event),
      )) as APIGatewayProxyStructuredResultV2;
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.writeHead(result.statusCode ?? 200, { 'x-request-id': requestId, ...headers });
      response.end(payload);
    } catch (error) {
      options.onError(error);
      if (!response.headersSent) gatewayError(500, 'internal_error', 'Internal error');
    }
  };
}

const routeKeyOf = (method: string, route: CompiledRoute) =>
  route === defaultRoute ? '$default' : `${method} ${route.template}`;

const defaultRoute: CompiledRoute = {
  fn: defaultRouteFunction,
  method: 'ANY',
  template: '$default',
  pattern: /^/,
  parameterNames: [],
  auth: 'none',
};

/** What the JWT check found wrong, in words: expired (and when), audience, issuer, signature. */
export function whyTokenFailed(error: unknown, now: Date): string {
  if (error instanceof joseErrors.JWTExpired) {
    const exp = Number(error.payload.exp);
    const when = Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : 'an earlier time';
    return `The token expired at ${when} (sandbox clock: ${now.toISOString()}); mint a new one with npm run -s token`;
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `The token is for another audience (${String(error.payload.aud)})`;
    if (error.claim === 'iss') return `The token was issued by someone else (${String(error.payload.iss)})`;
    if (error.claim === 'nbf' || error.claim === 'iat')
      return `The token is not valid yet at ${now.toISOString()} (sandbox clock)`;
    return `The token's ${error.claim} claim is wrong: ${error.reason}`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "The token's signature does not match this sandbox's key (signed elsewhere, or another SANDBOX_DIR)";
  return 'The token is malformed: not a JWT this sandbox issues';
}

function apiGatewayEvent(input: {
  request: IncomingMessage;
  url: URL;
  method: string;
  body: string;
  route: CompiledRoute;
  pathParameters: Record<string, string>;
  claims: Record<string, string> | undefined;
  now: Date;
  requestId: string;
}): APIGatewayProxyEventV2 {
  const { request, url } = input;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKeyOf(input.method, input.route),
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(input.route.parameterNames.length > 0 ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: sandboxAccount,
      apiId: 'sandbox',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'sandbox',
      http: {
        method: input.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: routeKeyOf(input.method, input.route),
      stage: '$default',
      time: input.now.toUTCString(),
      timeEpoch: input.now.getTime(),
    },
    ...(input.body.length > 0 ? { body: input.body } : {}),
    isBase64Encoded: false,
  };
  if (input.claims) {
    (event.requestContext as unknown as Record<string, unknown>).authorizer = {
      jwt: { claims: input.claims, scopes: null },
    };
  }
  return event;
}
