// The HTTP API's `$default` route: every request no route matched comes here, so an unknown path
// answers 404 not_found and a known path with another method 405 method_not_allowed, in API.md's
// error shape rather than API Gateway's own `{"message":"Not Found"}`.
// It builds its answer itself rather than through the http-route middleware, so its bundle carries no
// AWS client: it reads nothing.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { allRouteContracts } from '#events/openapi';

const routes = Object.keys(allRouteContracts()).map((routeKey) => {
  const [method, template] = routeKey.split(' ') as [string, string];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
  return { method, pattern: new RegExp(`^${pattern}$`) };
});

/** The methods a path takes; none for a path no route has. */
export function methodsFor(path: string): string[] {
  return routes.filter((route) => route.pattern.test(path)).map((route) => route.method);
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const requestId = event.requestContext?.requestId ?? 'unknown';
  const method = event.requestContext?.http?.method ?? 'GET';
  const allowed = methodsFor(event.rawPath ?? '/');
  const answer = (status: number, code: string, message: string, headers: Record<string, string> = {}) => ({
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers },
    body: JSON.stringify({ error: { code, message, requestId } }),
  });
  if (allowed.length === 0) return answer(404, 'not_found', `No route ${method} ${event.rawPath}`);
  return answer(
    405,
    'method_not_allowed',
    `${method} is not allowed on ${event.rawPath}; use ${allowed.join(' or ')}`,
    { allow: allowed.join(', ') },
  );
};
