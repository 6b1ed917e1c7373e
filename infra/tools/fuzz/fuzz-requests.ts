// Generated requests for every operation of the API document: mostly well-formed ones that reach the
// handlers, and variants with one thing wrong in the body, headers, auth, method, query or encoding.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { ApiDescription, ApiOperation, JsonSchema } from './api-document.ts';
import { mutatedBody, unicodeOddities } from './body-mutations.ts';
import { validValue } from './schema-arbitrary.ts';

export interface FuzzRequest {
  /** The document's operation aimed at, e.g. `GET /agent/reports/summary`. */
  operation: string;
  /** What was odd about it: `valid`, `body:wrong-type`, `query:bad-date`, … */
  variant: string;
  method: string;
  /** Path and query exactly as sent (already percent-encoded). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export type StaffRole = 'agent' | 'supervisor' | 'manager' | 'auditor';

/** What the fuzzer set up in the sandbox before it starts: real cases and signed tokens. */
export interface FuzzContext {
  cases: Array<{ caseId: string; accessToken: string }>;
  staffTokens: Record<StaffRole, string>;
  /** Tokens the authorizer must refuse (expired, wrong key, alg none, tampered) or that carry odd roles. */
  badTokens: Record<string, string>;
}

/** Hints for properties whose schema says only `string` (a phone is E.164 or a mainland mobile). */
const propertyHints: Record<string, fc.Arbitrary<unknown>> = {
  phone: fc.constantFrom(
    '+8613800138000',
    '13800138000',
    '+8613912345678',
    '+8618600000001',
    '+447700900123',
  ),
  category: fc.constantFrom('service', 'delay', 'loss', 'damage', 'billing', 'privacy', 'other', 'nonsense'),
  assignee: fc.constantFrom('alice', 'bob', 'fuzz-agent'),
};

function valueArbitrary(schema: JsonSchema, resolve: ApiDescription['resolve']): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.type === 'object' && s.properties) {
    const model = Object.fromEntries(
      Object.entries(s.properties).map(([name, property]) => [
        name,
        propertyHints[name] && resolve(property).type === 'string' && !resolve(property).enum
          ? propertyHints[name]!
          : valueArbitrary(property, resolve),
      ]),
    );
    return fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in model) });
  }
  return validValue(s, resolve);
}

const idempotencyKeys = ['fuzz-key-0001', 'fuzz-key-0002', 'fuzz-key-0003'];
const garbageCaseIds = [
  'CS0000000000AA',
  'CS9912319999ZZ',
  'cs2611230001ab',
  'CS26112300010AB',
  'x',
  'null',
  '..',
  "CS' OR '1'='1",
  'CS2611230001AB;DROP',
  '%00',
  'ａｂｃ',
  'A'.repeat(500),
];
const garbageTokens = [
  '',
  'garbage',
  'x'.repeat(5_000),
  'null',
  'Bearer abc',
  '\u00e9\u00e8\u00ff',
  '../../etc/passwd',
];
const contentTypes = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  '',
  ' application/json ',
  '*/*',
];
const badDates = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '0000-00-00',
  '2026-1-1',
  '2026-11-31',
  '2027-02-29',
  '2026-11-23T00:00:00Z',
  'yesterday',
  '',
  '%00',
];
const badQueries = [
  'limit=0',
  'limit=-1',
  'limit=101',
  'limit=1e9',
  'limit=99999999999999999999999',
  'limit=abc',
  'limit=1.5',
  'limit=',
  'limit=5&limit=10',
  'cursor=garbage',
  'cursor=eyJwayI6IkNBU0UjMSJ9',
  `cursor=${'A'.repeat(4_001)}`,
  'cursor=%FF%FE',
  'cursor=eyJfX3Byb3RvX18iOnsieCI6MX19',
  'status=unknown',
  'status=open&status=closed',
  'status[]=open',
  'team=%E2%80%AE',
  'breached=yes',
  'breached=true&breached=false',
  'token=garbage',
  `token=${'t'.repeat(300)}`,
  'unknown=1',
  `q=${'x'.repeat(10_000)}`,
  '&&&=&=',
  '%ZZ=1',
];

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);

function fillPath(template: string, caseId: string): string {
  return template.replace('{caseId}', encodeURIComponent(caseId));
}

function queryString(entries: Array<[string, string]>): string {
  return entries.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** A well-formed request for `operation`, with the real cases and staff tokens of `context`. */
function wellFormed(
  operation: ApiOperation,
  api: ApiDescription,
  context: FuzzContext,
): fc.Arbitrary<FuzzRequest> {
  const caseChoice = fc.oneof(
    { weight: 8, arbitrary: pick(context.cases) },
    {
      weight: 1,
      arbitrary: fc
        .stringMatching(/^CS\d{10,13}[A-Z]{2}$/)
        .map((caseId) => ({ caseId, accessToken: context.cases[0]!.accessToken })),
    },
    { weight: 1, arbitrary: pick(garbageCaseIds).map((caseId) => ({ caseId, accessToken: 'garbage' })) },
  );
  const queryParameters = operation.parameters.filter((p) => p.in === 'query' && p.name !== 'token');
  const query = fc.tuple(
    ...queryParameters.map((parameter) =>
      fc.option(
        validValue(parameter.schema, api.resolve).map(
          (value) => [parameter.name, String(value)] as [string, string],
        ),
        { nil: undefined },
      ),
    ),
  );
  const role: fc.Arbitrary<StaffRole> = fc.oneof(
    { weight: 5, arbitrary: fc.constant('supervisor' as const) },
    { weight: 3, arbitrary: fc.constant('agent' as const) },
    { weight: 2, arbitrary: fc.constant('manager' as const) },
    { weight: 1, arbitrary: fc.constant('auditor' as const) },
  );
  const body = operation.body ? valueArbitrary(operation.body, api.resolve) : fc.constant(undefined);
  const idempotencyKey = fc.option(pick(idempotencyKeys), { nil: undefined, freq: 3 });
  return fc
    .record({ chosen: caseChoice, query, role, body, idempotencyKey })
    .map(({ chosen, query: entries, role: staffRole, body: value, idempotencyKey: key }) => {
      const headers: Record<string, string> = {};
      if (operation.auth === 'jwt') headers.authorization = `Bearer ${context.staffTokens[staffRole]}`;
      if (operation.auth === 'case-token') headers['x-case-token'] = chosen.accessToken;
      if (operation.key === 'POST /cases' && key) headers['idempotency-key'] = key;
      if (value !== undefined) headers['content-type'] = 'application/json';
      const search = queryString(entries.filter((entry): entry is [string, string] => entry !== undefined));
      return {
        operation: operation.key,
        variant: 'valid',
        method: operation.method,
        target: `${fillPath(operation.template, chosen.caseId)}${search ? `?${search}` : ''}`,
        headers,
        ...(value !== undefined ? { body: Buffer.from(JSON.stringify(value)) } : {}),
      };
    });
}

type Variant = (base: FuzzRequest) => fc.Arbitrary<FuzzRequest>;

const withVariant = (base: FuzzRequest, variant: string, change: Partial<FuzzRequest>): FuzzRequest => ({
  ...base,
  ...change,
  variant,
  headers: { ...base.headers, ...change.headers },
});

function headerVariant(base: FuzzRequest): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    pick(contentTypes).map((contentType) =>
      withVariant(base, 'header:content-type', { headers: { 'content-type': contentType } }),
    ),
    fc.constant(null).map(() => {
      const { 'content-type': _dropped, ...headers } = base.headers;
      return { ...base, variant: 'header:no-content-type', headers };
    }),
    pick([8_000, 15_000, 20_000, 70_000]).map((size) =>
      withVariant(base, `header:huge-${size}`, { headers: { 'x-fuzz-filler': 'a'.repeat(size) } }),
    ),
    fc.constant(null).map(() =>
      withVariant(base, 'header:many', {
        headers: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-fuzz-${i}`, String(i)])),
      }),
    ),
    pick([
      '',
      'short',
      'k'.repeat(129),
      'key with spaces',
      '\u00e9t\u00e9-cl\u00e9-2026',
      'fuzz-key-0001',
      '\t',
    ]).map((key) => withVariant(base, 'header:idempotency-key', { headers: { 'idempotency-key': key } })),
    pick(['text/html', '*/*;q=0', 'application/xml', '']).map((accept) =>
      withVariant(base, 'header:accept', { headers: { accept } }),
    ),
    pick(['999.999.1.1', 'garbage', '127.0.0.1, 10.0.0.1, ::1']).map((forwarded) =>
      withVariant(base, 'header:x-forwarded-for', { headers: { 'x-forwarded-for': forwarded } }),
    ),
  );
}

function authVariant(context: FuzzContext): Variant {
  return (base) => {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    if (
      base.headers['x-case-token'] !== undefined ||
      (base.operation.includes('/cases/{caseId}') && !base.operation.includes('/agent/'))
    ) {
      return fc.oneof(
        pick(garbageTokens).map((token) =>
          withVariant(base, 'auth:case-token-garbage', { headers: { 'x-case-token': token } }),
        ),
        pick(context.cases).map(({ accessToken }) =>
          withVariant(base, 'auth:other-case-token', { headers: { 'x-case-token': accessToken } }),
        ),
        fc.constant(null).map(() => {
          const { 'x-case-token': _dropped, ...headers } = base.headers;
          return { ...base, variant: 'auth:case-token-missing', headers };
        }),
        pick(garbageTokens).map((token) => {
          const { 'x-case-token': _dropped, ...headers } = base.headers;
          const joiner = base.target.includes('?') ? '&' : '?';
          return {
            ...base,
            variant: 'auth:case-token-query',
            headers,
            target: `${base.target}${joiner}token=${encodeURIComponent(token)}`,
          };
        }),
      );
    }
    return fc.oneof(
      fc.constant(null).map(() => {
        const { authorization: _dropped, ...headers } = base.headers;
        return { ...base, variant: 'auth:missing', headers };
      }),
      pick([
        'Bearer',
        'Bearer ',
        'Bearer garbage',
        'Basic YWxpY2U6c2VjcmV0',
        'bearer x.y.z',
        'Bearer a.b',
        'Bearer ....',
      ]).map((authorization) => withVariant(base, 'auth:malformed', { headers: { authorization } })),
      pick(Object.keys(context.badTokens)).map((name) =>
        withVariant(base, `auth:${name}`, { headers: bearer(context.badTokens[name]!) }),
      ),
      pick(['auditor', 'agent'] as const).map((role) =>
        withVariant(base, `auth:role-${role}`, { headers: bearer(context.staffTokens[role]) }),
      ),
    );
  };
}

const methodVariant: Variant = (base) =>
  pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', base.method === 'GET' ? 'POST' : 'GET']).map((method) =>
    withVariant(base, `method:${method}`, { method }),
  );

function queryVariant(base: FuzzRequest): fc.Arbitrary<FuzzRequest> {
  const [pathPart, search = ''] = base.target.split('?');
  const join = (extra: string) => `${pathPart}?${search ? `${search}&` : ''}${extra}`;
  return fc.oneof(
    fc.tuple(pick(badDates), pick(['from', 'to', 'both'])).map(([date, which]) => {
      const value = encodeURIComponent(date);
      const extra = which === 'both' ? `from=${value}&to=${value}` : `${which}=${value}`;
      return withVariant(base, 'query:bad-date', { target: `${pathPart}?${extra}` });
    }),
    pick([
      'to=9999-12-31',
      'from=9999-12-31&to=9999-12-31',
      'from=0001-01-01&to=0001-01-31',
      'to=1970-01-01',
    ]).map((extra) => withVariant(base, 'query:extreme-date', { target: `${pathPart}?${extra}` })),
    pick([
      'from=2027-12-31&to=2026-01-01',
      'from=1900-01-01&to=2999-12-31',
      'from=2026-01-01&from=2026-02-01',
    ]).map((extra) => withVariant(base, 'query:date-range', { target: `${pathPart}?${extra}` })),
    pick(badQueries).map((extra) => withVariant(base, 'query:odd', { target: join(extra) })),
  );
}

function encodingVariant(base: FuzzRequest): fc.Arbitrary<FuzzRequest> {
  const [pathPart = '/', search] = base.target.split('?');
  const withPath = (path: string) => `${path}${search ? `?${search}` : ''}`;
  const lastSegment = pathPart.replace(/\/[^/]*$/, '');
  const percentEncodedEverything = pathPart
    .split('/')
    .map((segment) =>
      [...segment]
        .map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
        .join(''),
    )
    .join('/');
  const json = base.body?.toString('utf8') ?? '{}';
  return fc.oneof(
    fc.constant(
      withVariant(base, 'encoding:percent-encoded-path', { target: withPath(percentEncodedEverything) }),
    ),
    pick(['%E0%A4%A', '%FF', '%ZZ', '%00', '%C0%AF', '%ED%A0%80', '%2F', '%E2%80%AE', '..%2F..%2F']).map(
      (bad) =>
        withVariant(base, 'encoding:bad-percent-path', {
          target: withPath(
            /\{caseId\}/.test(base.operation)
              ? base.target.split('?')[0]!.replace(/\/CS[^/]*|\/[^/]*$/, `/${bad}`)
              : `${pathPart}${bad}`,
          ),
        }),
    ),
    pick([
      `${pathPart}/`,
      `/${pathPart}`,
      pathPart.toUpperCase(),
      `${lastSegment}/./${pathPart.split('/').pop()}`,
      `${pathPart};x=1`,
    ]).map((path) => withVariant(base, 'encoding:path-shape', { target: withPath(path) })),
    pick([
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.concat([
        Buffer.from('{"message":"'),
        Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
      Buffer.from([0x7b, 0x00, 0x7d]),
    ]).map((body) =>
      withVariant(base, 'encoding:invalid-utf8-body', {
        body,
        headers: { 'content-type': 'application/json' },
      }),
    ),
    fc.constant(
      withVariant(base, 'encoding:gzip-body', {
        body: gzipSync(Buffer.from(json)),
        headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
      }),
    ),
    fc.constant(
      withVariant(base, 'encoding:gzip-header-plain-body', { headers: { 'content-encoding': 'gzip' } }),
    ),
    fc.constant(
      withVariant(base, 'encoding:empty-body', {
        body: Buffer.alloc(0),
        headers: { 'content-type': 'application/json' },
      }),
    ),
    fc.constant(
      withVariant(base, 'encoding:utf16-body', {
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
        headers: { 'content-type': 'application/json; charset=utf-16' },
      }),
    ),
    pick(unicodeOddities).map((odd) =>
      withVariant(base, 'encoding:unicode-path', {
        target: withPath(`${pathPart}${encodeURIComponent(odd.replace(/[\uD800-\uDFFF]/g, ''))}`),
      }),
    ),
  );
}

/** Bodies with one thing wrong; built once per operation, as building the arbitraries is the costly part. */
function mutatedBodies(
  operation: ApiOperation,
  api: ApiDescription,
): fc.Arbitrary<{ mutation: string; text: string }> {
  if (!operation.body) {
    return pick(['{"unexpected":true}', '[]', 'not json']).map((text) => ({ mutation: 'unexpected', text }));
  }
  return mutatedBody(operation.body, api.resolve, valueArbitrary(operation.body, api.resolve));
}

/** One request, drawn from every operation of `api` alike. */
export function fuzzRequest(api: ApiDescription, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const perOperation = api.operations.map((operation) => ({
    wellFormed: wellFormed(operation, api, context),
    mutatedBodies: mutatedBodies(operation, api),
  }));
  return pick(perOperation).chain((arbitraries) =>
    arbitraries.wellFormed.chain((base) =>
      fc.oneof(
        { weight: 35, arbitrary: fc.constant(base) },
        {
          weight: 22,
          arbitrary: arbitraries.mutatedBodies.map(({ mutation, text }) =>
            withVariant(base, `body:${mutation}`, {
              body: Buffer.from(text),
              headers: { 'content-type': 'application/json' },
            }),
          ),
        },
        { weight: 10, arbitrary: headerVariant(base) },
        { weight: 9, arbitrary: authVariant(context)(base) },
        { weight: 6, arbitrary: methodVariant(base) },
        { weight: 9, arbitrary: queryVariant(base) },
        { weight: 9, arbitrary: encodingVariant(base) },
      ),
    ),
  );
}

/** Request `index` of the run seeded with `seed`: the same pair always gives the same request. */
export function nthRequest(arbitrary: fc.Arbitrary<FuzzRequest>, seed: number, index: number): FuzzRequest {
  return fc.sample(arbitrary, { seed: (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0, numRuns: 1 })[0]!;
}
