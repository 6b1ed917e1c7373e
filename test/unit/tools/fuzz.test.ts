import { describe, expect, it } from 'vitest';
import { describeApi } from '../../../infra/tools/fuzz/api-document.ts';
import { type FuzzContext, fuzzRequest, nthRequest } from '../../../infra/tools/fuzz/fuzz-requests.ts';
import { assertLoopback } from '../../../infra/tools/fuzz/fuzz-run.ts';
import { contractProblem } from '../../../infra/tools/fuzz/response-check.ts';

const context: FuzzContext = {
  cases: [{ caseId: 'CS2611230001AB', accessToken: 'token-a' }],
  staffTokens: { agent: 'a.b.c', supervisor: 's.b.c', manager: 'm.b.c', auditor: 'x.b.c' },
  badTokens: { expired: 'e.b.c' },
};
const errorBody = (code: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { code, message: 'm', requestId: 'r', ...extra } });

describe('the fuzzer', () => {
  it('aims only at a sandbox on loopback', () => {
    expect(() => assertLoopback('http://127.0.0.1:3000')).not.toThrow();
    expect(() => assertLoopback('http://localhost:3000')).not.toThrow();
    expect(() => assertLoopback('http://[::1]:3000')).not.toThrow();
    expect(() => assertLoopback('http://10.0.0.5:3000')).toThrow(/loopback only/);
    expect(() => assertLoopback('https://api.example.com')).toThrow(/loopback only/);
  });

  it('draws the same requests from the same seed, and reaches every operation of the document', () => {
    const api = describeApi();
    const generator = fuzzRequest(api, context);
    const first = Array.from({ length: 300 }, (_, i) => nthRequest(generator, 42, i));
    const again = Array.from({ length: 300 }, (_, i) => nthRequest(generator, 42, i));
    expect(again).toEqual(first);
    expect(new Set(first.map((request) => request.operation))).toEqual(
      new Set(api.operations.map((operation) => operation.key)),
    );
    expect(nthRequest(generator, 43, 0)).not.toEqual(first[0]);
    const variants = new Set(first.map((request) => request.variant.split(':')[0]));
    expect(variants).toEqual(new Set(['valid', 'body', 'header', 'auth', 'method', 'query', 'encoding']));
  }, 30_000);

  it("accepts API.md's error shape with the code its table pairs with the status", () => {
    const answer = (status: number, body: string, headers = {}) => contractProblem({ status, headers, body });
    expect(
      answer(400, errorBody('validation_error', { details: [{ path: 'a', message: 'b' }] })),
    ).toBeUndefined();
    expect(answer(405, errorBody('method_not_allowed'))).toBeUndefined();
    expect(answer(429, errorBody('rate_limited'), { 'retry-after': '1' })).toBeUndefined();
    expect(answer(201, '{"caseId":"x"}')).toBeUndefined();
  });

  it('fails every 5xx, a wrong code, a bare body, an unlisted status and a 429 without Retry-After', () => {
    const answer = (status: number, body: string, headers = {}) => contractProblem({ status, headers, body });
    expect(answer(500, errorBody('internal_error'))).toBe('500 internal_error');
    expect(answer(502, '')).toBe('502 without an error code');
    expect(answer(404, errorBody('validation_error'))).toMatch(/API.md says not_found/);
    expect(answer(400, '')).toMatch(/not JSON/);
    expect(answer(400, JSON.stringify({ message: 'Bad Request' }))).toMatch(/besides error/);
    expect(answer(400, errorBody('invalid_json', { stack: 'at x' }))).toMatch(/unknown keys: stack/);
    expect(answer(431, '')).toMatch(/431 is not in API.md's table/);
    expect(answer(429, errorBody('rate_limited'))).toBe('429 without Retry-After');
    expect(contractProblem({ status: 0, headers: {}, body: 'no answer: read ECONNRESET' })).toBe(
      'no answer: read ECONNRESET',
    );
  });
});
