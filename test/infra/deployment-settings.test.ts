import { App, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDeploymentSettings } from '#infra/stack/deployment-settings';
import { productionLimits } from '#shared/abuse-limits';
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
    expect(() => settingsFrom({ teamLeads: 'not json' })).toThrow(/must be JSON/);
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
});
