// The one way the pages talk to the API: JSON in, JSON out, and every failure as an ApiError that the
// pages turn into words (never raw JSON).
import { siteConfig } from './config.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiRequest {
  body?: unknown;
  /** The customer's case token, sent as X-Case-Token (never in the URL). */
  caseToken?: string;
  /** A staff bearer token. */
  bearer?: string;
}

export async function api<T>(method: string, path: string, request: ApiRequest = {}): Promise<T> {
  const config = await siteConfig();
  const headers: Record<string, string> = {};
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.caseToken) headers['x-case-token'] = request.caseToken;
  if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}${path}`, {
      method,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'network', 'The service could not be reached');
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(response.status, 'unreadable', 'The service answered something unreadable');
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: ApiError['details'] } })
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'unknown',
      error?.message ?? `HTTP ${response.status}`,
      error?.details ?? [],
    );
  }
  return payload as T;
}
