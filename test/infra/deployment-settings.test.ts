import { App, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDeploymentSettings } from '#infra/stack/deployment-settings';
import { productionLimits } from '#shared/abuse-limits';
import { loadConfig } from '#shared/config';
import { cdkJsonContext } from './synth-app.ts';

const settingsFrom = (context: Record<string, unknown>) => readDeploymentSettings(new App({ context }).node);

describe('deployment settings', () => {
  it('take the production abuse limits, with `abuseLimits` (JSON or object) over them, checked at synth', () => {
    expect(settingsFrom({}).abuseLimits).toEqual(productionLimits);
    expect(settingsFrom({ abuseLimits: '{"sourcePerMinute":30}' }).abuseLimits).toEqual({
      ...productionLimits,
      sourcePerMinute: 30,
    });
    expect(settingsFrom({ abuseLimits: { smsMonthlySpendUsd: 250 } }).abuseLimits.smsMonthlySpendUsd).toBe(
      250,
    );
    expect(() => settingsFrom({ abuseLimits: { sourcePerMinut: 30 } })).toThrow(
      /abuseLimits.*sourcePerMinut/,
    );
    expect(() => settingsFrom({ abuseLimits: { sourcePerMinute: -1 } })).toThrow(/sourcePerMinute/);
    expect(() => settingsFrom({ abuseLimits: '{not json' })).toThrow(/abuseLimits/);
  });

  it('default to a retained dev stage that sends from noreply@example.com and keeps logs 30 days', () => {
    for (const context of [{}, cdkJsonContext()]) {
      expect(settingsFrom(context)).toMatchObject({
        stage: 'dev',
        senderEmail: 'noreply@example.com',
        createEmailIdentity: false,
        removalPolicy: RemovalPolicy.RETAIN,
        logRetention: 30,
        alarmEmail: undefined,
        publicBaseUrl: undefined,
      });
    }
  });

  it('read `-c key=value` strings as the types they stand for', () => {
    expect(
      settingsFrom({
        stage: 'prod',
        removalPolicy: 'destroy',
        retentionDays: '90',
        createEmailIdentity: 'true',
        alarmEmail: 'ops@example.com',
        publicBaseUrl: 'https://care.example.com/',
        smsOriginationIdentity: 'pool-123',
      }),
    ).toMatchObject({
      stage: 'prod',
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: 90,
      createEmailIdentity: true,
      alarmEmail: 'ops@example.com',
      publicBaseUrl: 'https://care.example.com',
      smsOriginationIdentity: 'pool-123',
      smsConfigurationSet: undefined,
    });
  });

  it.each([
    [{ retentionDays: 31 }, /retentionDays/],
    [{ removalPolicy: 'snapshot' }, /removalPolicy/],
    [{ senderEmail: 'not-an-address' }, /senderEmail/],
    [{ alarmEmail: 'ops' }, /alarmEmail/],
    [
      { alarmEmail: 'ops@example.c' },
      /Context "alarmEmail" is invalid \("ops@example.c"\): alarmEmail: Invalid email address/,
    ],
    [{ senderEmail: 'care@example.c' }, /senderEmail/],
    [{ publicBaseUrl: 'ftp://care.example.com' }, /publicBaseUrl: Must be an http\(s\) URL/],
    [{ smsCountryCodes: '86,abc' }, /smsCountryCodes\.1: Country calling codes are 1–3 digits/],
    [
      { compensationPolicies: { sf: { uninsuredLossFreightMultiple: -1 } } },
      /compensationPolicies\.sf\.uninsuredLossFreightMultiple/,
    ],
    [{ surveyDelayMinutes: '2.5' }, /surveyDelayMinutes/],
    [{ stage: 'Prod_1' }, /stage/],
    [{ publicBaseUrl: 'care.example.com' }, /publicBaseUrl/],
  ])('refuse %o before anything is built', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
  });

  it('read team leads from JSON on the command line or an object in cdk.json', () => {
    const leads = { branch: { supervisor: 'lead.branch@example.com', manager: 'head.branch@example.com' } };
    expect(settingsFrom({ teamLeads: JSON.stringify(leads) }).teamLeads).toEqual(leads);
    expect(settingsFrom({ teamLeads: leads }).teamLeads).toEqual(leads);
  });

  it('refuse team leads that are not supervisor or manager email addresses', () => {
    expect(() => settingsFrom({ teamLeads: '{"branch": {"boss": "x@example.com"}}' })).toThrow(
      /teamLeads\.branch\.boss/,
    );
    expect(() => settingsFrom({ teamLeads: '{"branch": {"supervisor": "nope"}}' })).toThrow(/teamLeads/);
    expect(() => settingsFrom({ teamLeads: 'not json' })).toThrow(/must be JSON/i);
  });

  it('pass the carrier, its compensation overrides and the survey delay through', () => {
    const settings = settingsFrom({
      carrierId: 'sf',
      compensationPolicies: { sf: { uninsuredLossFreightMultiple: 5 } },
      surveyDelayMinutes: '120',
    });
    expect(settings).toMatchObject({ carrierId: 'sf', surveyDelayMinutes: 120 });
    expect(JSON.parse(settings.compensationPolicies!)).toEqual({ sf: { uninsuredLossFreightMultiple: 5 } });
    expect(() => settingsFrom({ surveyDelayMinutes: '-5' })).toThrow(/surveyDelayMinutes/);
  });

  it('agree with the functions at cold start: what synth refuses, loadConfig refuses too', () => {
    const functionEnvironment = (overrides: Record<string, string>) => ({
      TABLE_NAME: 't',
      QUEUE_URL_INTAKE: 'http://localhost/q',
      QUEUE_URL_NOTIFICATIONS: 'http://localhost/q',
      QUEUE_URL_SMS_NOTIFICATIONS: 'http://localhost/q',
      QUEUE_URL_SLA_WORK: 'http://localhost/q',
      QUEUE_URL_EMAIL_EVENTS: 'http://localhost/q',
      QUEUE_URL_INBOUND_EMAIL: 'http://localhost/q',
      QUEUE_URL_INBOUND_SMS: 'http://localhost/q',
      QUEUE_URL_INCIDENT_FANOUT: 'http://localhost/q',
      SENDER_EMAIL: 'care@example.com',
      PUBLIC_BASE_URL: 'https://care.example.com',
      HMAC_SECRET: 'x'.repeat(32),
      ...overrides,
    });
    for (const [context, variable, value] of [
      ['senderEmail', 'SENDER_EMAIL', 'ops@example.c'],
      ['smsCountryCodes', 'SMS_COUNTRY_CODES', '86,abc'],
      ['surveyDelayMinutes', 'SURVEY_DELAY_MINUTES', '99999'],
    ] as const) {
      expect(() => settingsFrom({ [context]: value })).toThrow(context);
      expect(() => loadConfig(functionEnvironment({ [variable]: value }))).toThrow(variable);
    }
    expect(settingsFrom({ smsCountryCodes: '+86, 852' }).smsCountryCodes).toBe('86,852');
    expect(loadConfig(functionEnvironment({ SMS_COUNTRY_CODES: '86,852' })).SMS_COUNTRY_CODES).toEqual([
      '86',
      '852',
    ]);
  });
});
