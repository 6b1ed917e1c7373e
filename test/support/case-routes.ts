// Calls to the lifecycle routes, built like API Gateway builds them: staff routes carry the JWT
// authorizer's claims (groups flattened to "[agent supervisor]"), customer routes the case token.

import type { SubmitCaseInput } from '#events/customer-api';
import { handler as submitCaseHandler } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { aComplaint } from './factories.ts';
import {
  type ApiResponse,
  callApi,
  drainQueue,
  type IntegrationEnvironment,
  uniqueEmail,
} from './integration-environment.ts';

type Handler = Parameters<typeof callApi>[0];

/** Claims as API Gateway passes a verified staff member's: every value a string. */
export function staffClaims(
  roles: string | string[],
  sub: string,
  email?: string,
  teams: readonly string[] = [],
): Record<string, string> {
  const groups = Array.isArray(roles) ? roles : [roles];
  return {
    sub: `${sub}-uuid`,
    'cognito:username': sub,
    'cognito:groups': `[${groups.join(' ')}]`,
    ...(email ? { email } : {}),
    email_verified: 'true',
    ...(teams.length > 0 ? { 'custom:team': teams.join(',') } : {}),
  };
}

export const agent = staffClaims('agent', 'alice', 'alice@carrier.example');
export const otherAgent = staffClaims('agent', 'bob', 'bob@carrier.example');
export const supervisor = staffClaims('supervisor', 'sue', 'sue@carrier.example');
export const manager = staffClaims('manager', 'max', 'max@carrier.example');
export const auditor = staffClaims('auditor', 'audrey', 'audrey@carrier.example');

/** `route` as in the catalogue, e.g. 'POST /agent/cases/{caseId}/reply'. */
export function callRoute<T = any>(
  handler: Handler,
  route: string,
  options: {
    caseId?: string;
    body?: unknown;
    query?: Record<string, string>;
    claims?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse<T>> {
  const [method, template] = route.split(' ') as ['GET' | 'POST' | 'PUT', string];
  const path = options.caseId ? template.replace('{caseId}', options.caseId) : template;
  return callApi<T>(handler, {
    method,
    routeKey: route,
    path,
    ...(options.caseId ? { pathParameters: { caseId: options.caseId } } : {}),
    ...(options.query ? { query: options.query } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.claims ? { claims: options.claims } : {}),
  });
}

export interface SubmittedCase {
  caseId: string;
  accessToken: string;
  email: string;
}

/** Submits a case and runs intake, so it is open in its team's queue. */
export async function anOpenCaseViaApi(
  env: IntegrationEnvironment,
  overrides: Partial<SubmitCaseInput> = {},
): Promise<SubmittedCase> {
  const email = overrides.customer?.email ?? uniqueEmail();
  const body = aComplaint({ ...overrides, customer: { ...overrides.customer, email } } as never);
  const submitted = await callApi(submitCaseHandler, {
    method: 'POST',
    routeKey: 'POST /cases',
    path: '/cases',
    body,
  });
  if (submitted.status !== 201) throw new Error(`Submit failed: ${JSON.stringify(submitted.body)}`);
  await drainQueue(env, 'intake', intakeConsumer);
  return { caseId: submitted.body.caseId, accessToken: submitted.body.accessToken, email };
}

export function deliverNotifications(env: IntegrationEnvironment): Promise<number> {
  return drainQueue(env, 'notifications', notificationConsumer);
}
