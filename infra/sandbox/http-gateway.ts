// The sandbox's API Gateway: turns HTTP requests into APIGatewayProxyEventV2 events for the
// catalogue's handlers, runs the JWT check the authorizer would, and serves the sandbox routes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionDefinition } from '../catalogue.ts';
import { invoke, sandboxAccount } from './lambda-runtime.ts';
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
  fn: FunctionDefinition;
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
  onError: (error: unknown) => void;
  throttle?: { take(): boolean };
}) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
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

      const candidates = options.routes.filter((route) => route.pattern.test(url.pathname));
      const route = candidates.find((candidate) => candidate.method === method);
      if (!route) {
        return candidates.length > 0
          ? gatewayError(405, 'method_not_allowed', 'Method not allowed')
          : gatewayError(404, 'not_found', 'No such route');
      }

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

      const now = options.now();
      let claims: Record<string, string> | undefined;
      if (route.auth === 'jwt') {
        const header = request.headers.authorization ?? '';
        const token = header.match(/^Bearer\s+(.+)$/i)?.[1];
        if (!token) return gatewayError(401, 'unauthorized', 'Missing bearer token');
        try {
          claims = claimsAsApiGatewayPassesThem(await options.issuer.verify(token, now));
        } catch {
          return gatewayError(401, 'unauthorized', 'Invalid, expired or wrongly signed token');
        }
      }

      const match = url.pathname.match(route.pattern)!;
      const pathParameters = Object.fromEntries(
        route.parameterNames.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]),
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
      const result = (await invoke(route.fn, event)) as APIGatewayProxyStructuredResultV2;
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
    routeKey: `${input.method} ${input.route.template}`,
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
      routeKey: `${input.method} ${input.route.template}`,
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
