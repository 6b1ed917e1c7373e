// What the edge refuses before a request reaches the rules: deep nesting, unknown keys, invisible
// characters, impossible dates, and phone numbers that could never be texted.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dependencies, resetDependencies } from '#adapters/dependencies';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as submitCase } from '#functions/http/submit-case';
import { resetConfigCache } from '#shared/config';
import { anOpenCaseViaApi, callRoute, supervisor } from '../support/case-routes.ts';
import { aComplaint } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

const submit = (body: unknown, headers: Record<string, string> = {}) =>
  callApi(submitCase, { method: 'POST', routeKey: 'POST /cases', path: '/cases', body, headers });

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nesting depth', () => {
  it('answers 400, not 500, for a body nested 8,000 deep, before anything recursive reads it', async () => {
    const valid = JSON.stringify(aComplaint());
    for (const [key, value] of [
      ['nested', nested(8_000)],
      ['nested', `${'{"a":'.repeat(8_000)}1${'}'.repeat(8_000)}`],
    ] as const) {
      const response = await submit(`${valid.slice(0, -1)},"${key}":${value}}`, {
        'content-type': 'application/json',
        'Idempotency-Key': `deep-${crypto.randomUUID()}`,
      });
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([
        { path: '(body)', message: 'Nests deeper than 32 levels' },
      ]);
    }
  });

  it('counts only structure: brackets inside strings do not nest', async () => {
    const response = await submit(aComplaint({ description: `${'[{'.repeat(100)} 括号不算层级` }));
    expect(response.status).toBe(201);
  });
});

describe('unknown keys', () => {
  it('answers 400 naming every unknown key by its path, at the top and inside objects', async () => {
    const body = { ...aComplaint(), isAdmin: true, customer: { ...aComplaint().customer, tier: 'vip' } };
    const response = await submit(body);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'isAdmin', message: 'Unknown field' },
        { path: 'customer.tier', message: 'Unknown field' },
      ]),
    );
  });

  it('refuses unknown keys in staff bodies too', async () => {
    const open = await anOpenCaseViaApi(env);
    const response = await callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
      caseId: open.caseId,
      body: { message: '您好', visibility: 'public' },
      claims: supervisor,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: 'visibility', message: 'Unknown field' }]);
  });
});

describe('invisible characters', () => {
  it.each([
    ['a bidi override', 'Refund at evil.example\u202Egnp.exe', 'U+202E'],
    ['a zero-width space', '请点击\u200B链接', 'U+200B'],
    ['a zero-width joiner', 'case\u200DCS2611230001AB', 'U+200D'],
  ])(
    'answers 400 for %s in free text, naming the rule and the character',
    async (_name, subject, codePoint) => {
      const response = await submit(aComplaint({ subject }));
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([
        { path: 'subject', message: `Remove control and invisible format characters (${codePoint})` },
      ]);
    },
  );
});

describe('dates', () => {
  const summary = (query: Record<string, string>) =>
    callRoute(reportSummary, 'GET /agent/reports/summary', { query, claims: supervisor });

  it.each([
    ['from', '2026-02-30'],
    ['from', '2026-11-31'],
    ['to', '2027-02-29'],
    ['to', '9999-12-31'],
    ['from', '1999-12-31'],
    ['from', '2026-1-5'],
  ])('answers 400, not 500, for the report query %s=%s', async (name, day) => {
    const response = await summary({ [name]: day });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe(name);
  });

  it('still answers for real days, a leap day included', async () => {
    expect((await summary({ from: '2028-02-29', to: '2028-03-01' })).status).toBe(200);
  });

  it('answers 400 for an impossible shipment date', async () => {
    const response = await submit(
      aComplaint({ shipment: { service: 'express', shippedAt: '2026-02-30T02:00:00.000Z' } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('shipment.shippedAt');
  });
});

describe('phone numbers', () => {
  it.each([['008613800138000'], ['(+86)138 0013 8000'], ['138-0013-8000']])(
    'accepts %j and stores it as E.164',
    async (phone) => {
      const response = await submit(aComplaint({ customer: { email: undefined, phone } }));
      expect(response.status).toBe(201);
      const stored = await (await dependencies()).cases.getCase(response.body.caseId);
      expect(stored?.customer.phone).toBe('+8613800138000');
    },
  );

  it.each([
    ['too short to be a mainland mobile', '+8612345678'],
    ['a landline', '+86 10 6552 9988'],
    ['a landline dialled at home', '010-65529988'],
  ])('refuses %s, which SMS could never reach', async (_why, phone) => {
    const response = await submit(aComplaint({ customer: { email: undefined, phone } }));
    expect(response.status).toBe(400);
    expect(response.body.error.details[0]).toEqual({
      path: 'customer.phone',
      message: 'Use a mobile number: E.164 (+8613800138000) or an 11-digit mainland mobile (13800138000)',
    });
  });

  it('refuses a mobile outside the allowed SMS country codes, naming the rule', async () => {
    const response = await submit(aComplaint({ customer: { phone: '+44 7911 123456' } }));
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      {
        path: 'customer.phone',
        message: 'SMS goes only to numbers with country code +86 (rule smsCountryCodes)',
      },
    ]);
  });
});

describe('SMS country codes', () => {
  const configure = (codes: string | undefined) => {
    if (codes === undefined) delete process.env.SMS_COUNTRY_CODES;
    else process.env.SMS_COUNTRY_CODES = codes;
    resetConfigCache();
    resetDependencies();
  };
  afterEach(() => configure(undefined));

  it('follows the deployment: with "86,44" a UK mobile is taken', async () => {
    configure('86, +44');
    const response = await submit(aComplaint({ customer: { phone: '+44 7911 123456' } }));
    expect(response.status).toBe(201);
  });
});
