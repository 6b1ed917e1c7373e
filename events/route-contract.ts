// What one route is: method, path, who may call it, what it accepts and what it answers. Each route is
// declared once (events/customer-api.ts, events/agent-api.ts); its handler (`httpRoute`), the OpenAPI
// document and the catalogue's HTTP trigger all read that one declaration.
import * as z from '#shared/zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `none`: anyone; `case-token`: the customer, with the case's token; `jwt`: staff, through the authorizer. */
export type RouteAuth = 'none' | 'case-token' | 'jwt';

export interface RouteContract {
  method: HttpMethod;
  /** API Gateway's path template, `{name}` for a path parameter. */
  path: string;
  summary: string;
  auth: RouteAuth;
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  success: { status: number; schema?: z.ZodMiniType; description: string };
  /** Largest body the route takes; API.md's 64 KiB unless the route says more (incidents). */
  maxBodyBytes?: number;
  /** Error statuses the route answers besides 500, for the OpenAPI document. */
  errors: readonly number[];
}

/** Keeps the exact schema types of the contract, so the handler's request is typed from it. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

export function routeKeyOf(contract: Pick<RouteContract, 'method' | 'path'>): string {
  return `${contract.method} ${contract.path}`;
}

/**
 * The viewer's address, set by the CloudFront function on the API's paths (overwriting whatever the client
 * sent): behind CloudFront, API Gateway's own source IP is CloudFront's edge.
 */
export const viewerIpHeader = 'x-viewer-ip';

/** Case-token routes prove ownership with header X-Case-Token, or ?token= for links in emails. */
export const caseTokenQuerySchema = z.object({ token: z.optional(z.string().check(z.maxLength(200))) });
export const caseTokenHeaderSchema = z.object({
  'x-case-token': z.withMeta(z.optional(z.string()), {
    description: 'The access token returned when the case was submitted',
  }),
});
