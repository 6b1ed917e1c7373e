// Staff identity comes only from the JWT authorizer's claims (API Gateway in AWS, the sandbox
// locally). API Gateway flattens array claims, so `cognito:groups` may arrive as "[agent supervisor]",
// and passes every claim as a string, so `email_verified` arrives as "true".
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Forbidden, Unauthorized } from '#domain/errors';
import { type StaffMember, type StaffRole, staffRoles } from '#domain/staff-permissions';

export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((group) => group.trim())
    .filter(Boolean);
}

export function staffFromEvent(event: APIGatewayProxyEventV2): StaffMember {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } })
    .authorizer;
  const claims = authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub.length === 0) {
    throw new Unauthorized('Missing or invalid credentials');
  }
  const roles = parseGroups(claims['cognito:groups']).filter((group): group is StaffRole =>
    (staffRoles as readonly string[]).includes(group),
  );
  // The authorizer accepted the token, so its credentials are good (not a 401): the account itself may
  // not act until Cognito has verified its address, which the pool's own flows do (403).
  if (claims.email_verified !== true && claims.email_verified !== 'true') {
    throw new Forbidden('Your email address is not verified: verify it, then sign in again');
  }
  const username =
    typeof claims['cognito:username'] === 'string' ? (claims['cognito:username'] as string) : undefined;
  return {
    sub: username ?? sub,
    roles,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    teams: parseGroups(claims['custom:team']),
  };
}
