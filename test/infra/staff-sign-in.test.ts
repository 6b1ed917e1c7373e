// Staff sign-in as the stack deploys it (issue 8): TOTP required, SRP only, the workspace on the code grant
// with identity scopes and its callbacks from context, no client that lets staff change their own email;
// and EventBridge trusted by the queue and the key for the one SES-events rule only.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParcelCareStack } from '#infra/stack/parcel-care-stack';
import { buildTestApp } from './synth-app.ts';
import { type PolicyStatement, resourceOf } from './template-lookup.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

let stack: ParcelCareStack;
let template: Template;
beforeAll(() => {
  ({ stack } = buildTestApp({ nag: false, context: noBundling }));
  template = Template.fromStack(stack);
});

const clients = () => [
  resourceOf(template, stack.state.userPoolClient).Properties,
  resourceOf(template, stack.site.userPoolClient).Properties,
];

describe('the staff user pool', () => {
  it('requires a second factor on every sign-in, by TOTP app only (no SMS or email codes)', () => {
    const pool = resourceOf(template, stack.state.userPool).Properties;
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.SmsConfiguration).toBeUndefined();
  });

  it('lets both app clients sign in by SRP only (no password auth), with no secret', () => {
    for (const client of clients()) {
      expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual([
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_USER_SRP_AUTH',
      ]);
      expect(client.GenerateSecret).toBe(false);
    }
  });

  it('lets no client change a staff member’s email (or its verification)', () => {
    for (const client of clients()) {
      const writable = client.WriteAttributes as string[];
      expect(writable.length).toBeGreaterThan(0);
      expect(writable).not.toContain('email');
      expect(writable).not.toContain('email_verified');
      expect(writable).not.toContain('custom:team');
    }
  });

  it('gives staff tools no OAuth flow at all', () => {
    const tools = resourceOf(template, stack.state.userPoolClient).Properties;
    expect(tools.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(tools.AllowedOAuthFlows).toBeUndefined();
    expect(tools.CallbackURLs).toBeUndefined();
  });

  it('gives the workspace the authorization code grant only, with openid, email and profile only', () => {
    const workspace = resourceOf(template, stack.site.userPoolClient).Properties;
    expect(workspace.AllowedOAuthFlows).toEqual(['code']);
    expect([...(workspace.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(JSON.stringify(workspace)).not.toContain('aws.cognito.signin.user.admin');
    expect(JSON.stringify(workspace)).not.toContain('example.com');
  });

  it('holds each member’s team in a custom attribute the tokens carry', () => {
    const pool = resourceOf(template, stack.state.userPool).Properties;
    expect(pool.Schema).toContainEqual(
      expect.objectContaining({ Name: 'team', AttributeDataType: 'String', Mutable: true }),
    );
  });
});

describe('the workspace’s callback URLs', () => {
  it('come from context `staffCallbackUrls`, the first being where the workspace returns', () => {
    const urls = ['https://care.example.cn/workspace/', 'https://care-backup.example.cn/workspace/'];
    const { stack: custom } = buildTestApp({
      nag: false,
      context: { ...noBundling, staffCallbackUrls: urls.join(',') },
    });
    const workspace = resourceOf(Template.fromStack(custom), custom.site.userPoolClient).Properties;
    expect(workspace.CallbackURLs).toEqual(urls);
    expect(workspace.LogoutURLs).toEqual(urls);
    expect(custom.site.workspaceUrls[0]).toBe(urls[0]);
  });

  it('refuse anything but https (http only for localhost)', () => {
    expect(() =>
      buildTestApp({ nag: false, context: { ...noBundling, staffCallbackUrls: 'http://care.example.cn/' } }),
    ).toThrow(/staffCallbackUrls/);
  });
});

describe('EventBridge', () => {
  const fromTheRule = {
    ArnEquals: {
      'aws:SourceArn': {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':rule/parcel-care-dev-email-events',
          ],
        ],
      },
    },
  };
  const trustingEvents = (statements: PolicyStatement[]) =>
    statements.filter(
      (statement) =>
        JSON.stringify(statement.Principal ?? {}).includes('events.amazonaws.com') &&
        statement.Effect === 'Allow',
    );

  it('may use the data key only for the SES-events rule (aws:SourceArn)', () => {
    const key = resourceOf(template, stack.state.key).Properties as {
      KeyPolicy: { Statement: PolicyStatement[] };
    };
    const statements = trustingEvents(key.KeyPolicy.Statement);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(statement.Condition).toEqual(fromTheRule);
    expect(statements.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['kms:GenerateDataKey*']));
  });

  it('may send to the emailEvents queue only for that rule, which is the one so named', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Array<{
      Properties: { PolicyDocument: { Statement: PolicyStatement[] } };
    }>;
    const statements = trustingEvents(
      policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Action: 'sqs:SendMessage', Condition: fromTheRule });
    template.hasResourceProperties('AWS::Events::Rule', { Name: 'parcel-care-dev-email-events' });
  });
});
