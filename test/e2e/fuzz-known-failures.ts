// Failures `npm run fuzz` finds in today's code, each with a focused reproducer and its root cause.
// The fuzz test tolerates exactly these and prints them; each one also has an `it.fails` test, so a fix
// turns that test red until its entry is deleted here. The list only shrinks.
import { deeplyNested } from '../../infra/tools/fuzz/body-mutations.ts';
import type { FuzzContext, FuzzRequest } from '../../infra/tools/fuzz/fuzz-requests.ts';
import type { FuzzFailure } from '../../infra/tools/fuzz/fuzz-run.ts';
import { aComplaint } from '../support/factories.ts';

export interface KnownFailure {
  id: string;
  /** What API.md wants, what happens instead, and where the cause sits. */
  reading: string;
  /** Whether a failure of the fuzz run is this one. */
  explains(failure: FuzzFailure): boolean;
  reproducer(context: FuzzContext): FuzzRequest;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const onlyOn = (failure: FuzzFailure, operation: string) =>
  Object.keys(failure.operations).every((key) => key === operation);

export const knownFailures: KnownFailure[] = [
  {
    id: 'deep-json-500',
    reading:
      'A valid POST /cases body with an unknown key nested 8,000 deep is a 500, not a 400: zod drops the key, ' +
      'but requestFingerprint (shared/use-cases/submit-case.ts:22-31) recurses over the raw body and overflows the stack.',
    explains: (failure) =>
      onlyOn(failure, 'POST /cases') &&
      failure.variant.startsWith('body:deep-') &&
      failure.problem.startsWith('500'),
    reproducer: () => {
      const body = JSON.stringify(aComplaint());
      return {
        operation: 'POST /cases',
        variant: 'body:deep-nesting-8000',
        method: 'POST',
        target: '/cases',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(`${body.slice(0, -1)},"nested":${deeplyNested(8_000, 'object')}}`),
      };
    },
  },
  {
    id: 'report-impossible-date-500',
    reading:
      'GET /agent/reports/summary?from=2026-02-30 (or 2026-11-31, 2027-02-29) is a 500, not a 400: the query schema ' +
      '(events/agent-api.ts:94) checks dates with Date.parse, which rolls Feb 30 over to March, and ' +
      'utcMidnightOf (shared/domain/business-calendar.ts:87) then throws a RangeError.',
    explains: (failure) =>
      onlyOn(failure, 'GET /agent/reports/summary') &&
      failure.variant === 'query:bad-date' &&
      failure.problem.startsWith('500'),
    reproducer: (context) => ({
      operation: 'GET /agent/reports/summary',
      variant: 'query:bad-date',
      method: 'GET',
      target: '/agent/reports/summary?from=2026-02-30',
      headers: { authorization: `Bearer ${context.staffTokens.supervisor}` },
    }),
  },
  {
    id: 'report-year-10000-500',
    reading:
      'GET /agent/reports/summary?to=9999-12-31 is a 500, not a 400 or an answer: daysBetween ' +
      '(shared/use-cases/report-summary.ts:47-49) steps past 9999-12-31 to "+010000-01-01", which still sorts ' +
      'before "9999-12-31" as a string, so the loop goes on and utcMidnightOf (business-calendar.ts:87) throws.',
    explains: (failure) =>
      onlyOn(failure, 'GET /agent/reports/summary') &&
      failure.variant === 'query:extreme-date' &&
      failure.problem.startsWith('500'),
    reproducer: (context) => ({
      operation: 'GET /agent/reports/summary',
      variant: 'query:extreme-date',
      method: 'GET',
      target: '/agent/reports/summary?to=9999-12-31',
      headers: { authorization: `Bearer ${context.staffTokens.supervisor}` },
    }),
  },
  {
    id: 'malformed-percent-path-500',
    reading:
      'A path parameter with malformed percent-encoding (/cases/%E0%A4%A/messages, %C0%AF, %ED%A0%80) is a 500 ' +
      'from the sandbox gateway: decodeURIComponent throws URIError (infra/sandbox/http-gateway.ts:148), caught ' +
      'as internal_error; it should be a 400 validation_error (or 404) like any other bad case id.',
    explains: (failure) =>
      failure.variant === 'encoding:bad-percent-path' && failure.problem.startsWith('500'),
    reproducer: (context) => ({
      operation: 'POST /cases/{caseId}/messages',
      variant: 'encoding:bad-percent-path',
      method: 'POST',
      target: '/cases/%E0%A4%A/messages',
      headers: { 'content-type': 'application/json', 'x-case-token': context.cases[0]!.accessToken },
      body: json({ message: 'hello' }),
    }),
  },
  {
    id: 'huge-headers-431',
    reading:
      "Request headers over Node's 16 KiB limit get the sandbox server's bare 431 with an empty body (at 70 KB the " +
      'socket is reset, no answer at all): createServer (infra/sandbox/sandbox.ts:233) has no clientError handler, ' +
      "and 431 is not in API.md's table. Either answer in the error shape with a listed status, or add 431 to API.md.",
    explains: (failure) =>
      failure.variant.startsWith('header:huge-') &&
      (failure.problem.startsWith('status 431') || failure.problem.startsWith('no answer')),
    reproducer: () => ({
      operation: 'GET /health',
      variant: 'header:huge-20000',
      method: 'GET',
      target: '/health',
      headers: { 'x-fuzz-filler': 'a'.repeat(20_000) },
    }),
  },
];
