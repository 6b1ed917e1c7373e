// The operator's service policy document: validated with zod, every field defaulting to today's value.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultServicePolicy } from '#domain/service-policy';
import { parseServicePolicy, parseServicePolicyText } from '#shared/service-policy-schema';
import { defaultPolicyDocument, servicePolicyJsonSchema } from '../../../infra/tools/print-service-policy.ts';

const exampleFile = new URL('../../../policy/service-policy.json', import.meta.url);

function policyOf(document: unknown) {
  const parsed = parseServicePolicy(document);
  if (!parsed.ok) throw new Error(parsed.problems);
  return parsed.policy;
}

function problemsOf(document: unknown): string {
  const parsed = parseServicePolicy(document);
  if (parsed.ok) throw new Error('expected the document to be refused');
  return parsed.problems;
}

describe('the service policy document', () => {
  it('is the defaults when empty, so a deployment without a document behaves as before', () => {
    expect(policyOf({})).toEqual(defaultServicePolicy);
  });

  it('ships as policy/service-policy.json: the defaults spelled out, as `npm run -s policy` prints them', () => {
    const text = readFileSync(exampleFile, 'utf8');
    expect(text).toBe(defaultPolicyDocument());
    const parsed = parseServicePolicyText(text);
    expect(parsed.ok && parsed.policy).toEqual(defaultServicePolicy);
  });

  it('changes only what a document gives', () => {
    const policy = policyOf({
      sla: { firstResponse: { unit: 'hours', amount: 1 } },
      quietHours: { endHour: 9 },
    });
    expect(policy.sla.firstResponse).toEqual({ unit: 'hours', amount: 1 });
    expect(policy.sla.plan).toEqual(defaultServicePolicy.sla.plan);
    expect(policy.quietHours).toEqual({ startHour: 21, endHour: 9 });
    expect(policy.windows).toEqual(defaultServicePolicy.windows);
    expect(policy.calendar).toEqual(defaultServicePolicy.calendar);
  });

  it('loads a year of the calendar without dropping the others', () => {
    const official2027 = {
      holidays: [{ name: 'Dragon Boat Festival', from: '2027-06-09', to: '2027-06-11' }],
      makeUpWorkingDays: ['2027-06-12'],
      status: 'official',
      source: '国务院办公厅关于2027年部分节假日安排的通知',
    };
    const policy = policyOf({ calendar: { 2027: official2027 } });
    expect(policy.calendar[2027]).toEqual(official2027);
    expect(policy.calendar[2026]).toEqual(defaultServicePolicy.calendar[2026]);
    expect(policy.calendar[2025]).toEqual(defaultServicePolicy.calendar[2025]);
  });

  it('refuses a document that breaks a rule, naming each problem by its path', () => {
    const problems = problemsOf({
      sla: { firstResponse: { unit: 'hours', amount: -2 } },
      windows: { appealDays: 0 },
      calendar: { 2029: { holidays: [], makeUpWorkingDays: [], status: 'maybe', source: 'x' } },
      surveys: {},
    });
    expect(problems).toContain('sla.firstResponse.amount');
    expect(problems).toContain('windows.appealDays');
    expect(problems).toContain('calendar.2029.status');
    expect(problems).toContain('surveys: Unknown field');
    const misfiled = { holidays: [], makeUpWorkingDays: ['2027-12-31'], status: 'official', source: 'x' };
    expect(problemsOf({ calendar: { 2028: misfiled } })).toBe('calendar.2028: 2027-12-31 is not in 2028');
  });

  it('refuses a holiday that ends before it starts and a date that does not exist', () => {
    const year = (holidays: unknown) => ({
      calendar: { 2030: { holidays, makeUpWorkingDays: [], status: 'official', source: 'x' } },
    });
    expect(problemsOf(year([{ name: 'x', from: '2030-05-03', to: '2030-05-01' }]))).toContain(
      'ends before it starts',
    );
    expect(problemsOf(year([{ name: 'x', from: '2030-02-30', to: '2030-02-30' }]))).toContain(
      'calendar.2030.holidays.0.from',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(parseServicePolicyText('{ sla:')).toEqual({
      ok: false,
      problems: 'The service policy is not JSON',
    });
  });

  it('gives AppConfig a draft-04 JSON Schema small enough for its validator', () => {
    const schema = JSON.parse(servicePolicyJsonSchema()) as { $schema: string; properties: object };
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['sla', 'calendar', 'windows']));
    expect(servicePolicyJsonSchema().length).toBeLessThan(32_768);
  });
});
