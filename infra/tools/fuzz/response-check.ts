// What every answer must look like (API.md, "Errors", with the second round's 405 and 429): a 5xx is
// always a failure, and any 4xx must carry `{ error: { code, message, details?, requestId } }` with
// the code API.md pairs with its status.

/** API.md's status ↔ code table. */
export const errorCodesByStatus: Readonly<Record<number, readonly string[]>> = {
  400: ['validation_error', 'invalid_json'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found'],
  405: ['method_not_allowed'],
  409: ['invalid_transition', 'conflict'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: ['idempotency_key_reused'],
  429: ['rate_limited'],
};

export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Why the answer breaks the contract, or undefined when it keeps it. */
export function contractProblem(response: ObservedResponse): string | undefined {
  const { status } = response;
  if (status === 0) return response.body.replace(/\s*\(.*$/, '');
  if (status >= 500) return `${status} ${errorCodeOf(response.body) ?? 'without an error code'}`;
  if (status < 400) return undefined;
  const codes = errorCodesByStatus[status];
  if (!codes) return `status ${status} is not in API.md's table`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return `${status} body is not JSON (${JSON.stringify(response.body.slice(0, 60))})`;
  }
  const shapeProblem = errorShapeProblem(parsed);
  if (shapeProblem) return `${status} ${shapeProblem}`;
  const code = (parsed as { error: { code: string } }).error.code;
  if (!codes.includes(code)) return `${status} with code ${code}, API.md says ${codes.join(' or ')}`;
  if (status === 429 && response.headers['retry-after'] === undefined) return '429 without Retry-After';
  return undefined;
}

function errorShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body is not an object';
  const extraTop = Object.keys(body).filter((key) => key !== 'error');
  if (extraTop.length > 0) return `body has keys besides error: ${extraTop.join(', ')}`;
  const error = body.error;
  if (!isObject(error)) return 'error is not an object';
  for (const key of ['code', 'message', 'requestId'] as const) {
    if (typeof error[key] !== 'string' || error[key] === '') return `error.${key} is missing or not a string`;
  }
  const extra = Object.keys(error).filter(
    (key) => !['code', 'message', 'details', 'requestId'].includes(key),
  );
  if (extra.length > 0) return `error has unknown keys: ${extra.join(', ')}`;
  if (error.details !== undefined) {
    if (!Array.isArray(error.details)) return 'error.details is not an array';
    const bad = error.details.find(
      (detail) => !isObject(detail) || typeof detail.path !== 'string' || typeof detail.message !== 'string',
    );
    if (bad !== undefined) return 'error.details has an entry without string path and message';
  }
  return undefined;
}

function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Contract notes that do not fail the run (second-round items not built yet). */
export function contractWarning(response: ObservedResponse): string | undefined {
  if (response.status !== 429) return undefined;
  try {
    const details = (JSON.parse(response.body) as { error?: { details?: unknown[] } }).error?.details;
    return details && details.length > 0 ? undefined : '429 does not name the limit in details';
  } catch {
    return undefined;
  }
}
