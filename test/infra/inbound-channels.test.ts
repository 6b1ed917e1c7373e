// Channels in (issue 16) as deployed: the receipt rule and its rule set, the raw-mail bucket and its
// policy, the two inbound topics and their queues. The construct alone, so each variant synthesizes in
// milliseconds; the whole stack's grants are checked in stack.test.ts.
import { App, aws_kms as kms, Stack, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readDeploymentSettings } from '#infra/stack/deployment-settings';
import { InboundChannels } from '#infra/stack/inbound-channels';
import { arnOf, refTo, resourceOf } from './template-lookup.ts';

function synthesize(context: Record<string, string>) {
  const app = new App({ context: { stage: 'dev', ...context } });
  const stack = new Stack(app, 'Inbound', { env: { account: '123456789012', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'DataKey');
  const inboundEmailQueue = new sqs.Queue(stack, 'EmailQueue', { encryptionMasterKey: key });
  const inboundSmsQueue = new sqs.Queue(stack, 'SmsQueue', { encryptionMasterKey: key });
  const inbound = new InboundChannels(stack, 'Inbound', {
    settings: readDeploymentSettings(app.node),
    key,
    inboundEmailQueue,
    inboundSmsQueue,
  });
  return { inbound, key, inboundEmailQueue, inboundSmsQueue, template: Template.fromStack(stack) };
}

describe('email in: the receipt rule', () => {
  it('stores mail for the service domain in the bucket under inbound/ and notifies the email topic, scanning it', () => {
    const { inbound, template } = synthesize({ inboundEmailDomain: 'inbound.example.com' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['inbound.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Enabled: true,
        Actions: [
          {
            S3Action: {
              BucketName: refTo(inbound.mailBucket),
              ObjectKeyPrefix: 'inbound/',
              TopicArn: refTo(inbound.emailTopic),
            },
          },
        ],
      }),
    });
  });

  it('creates its own rule set, to be activated by an operator, unless it is given an existing one', () => {
    const own = synthesize({ inboundEmailDomain: 'inbound.example.com' }).template;
    own.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'parcel-care-dev-inbound' });
    const shared = synthesize({
      inboundEmailDomain: 'inbound.example.com',
      inboundReceiptRuleSetName: 'company-inbound',
    }).template;
    shared.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    shared.hasResourceProperties('AWS::SES::ReceiptRule', { RuleSetName: 'company-inbound' });
  });

  it('is not made without a domain; the SMS channel still is', () => {
    const { template } = synthesize({});
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    template.resourceCountIs('AWS::SNS::Topic', 2);
  });

  it('refuses a domain that makes no address, naming the context key', () => {
    expect(() => synthesize({ inboundEmailDomain: 'not a domain' })).toThrow(/inboundEmailDomain/);
  });
});

describe('email in: the raw-mail bucket', () => {
  it("is encrypted with the project's key, blocks public access and expires raw mail", () => {
    const { inbound, key, template } = synthesize({ inboundEmailDomain: 'inbound.example.com' });
    expect(resourceOf(template, inbound.mailBucket).Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(key) } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
    });
  });

  it('lets SES put objects for this account only, and refuses every request without TLS', () => {
    const { template } = synthesize({ inboundEmailDomain: 'inbound.example.com' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });
});

describe('the inbound topics', () => {
  it('are encrypted, take publishes only from SES and End User Messaging SMS of this account', () => {
    const { inbound, template, key } = synthesize({ inboundEmailDomain: 'inbound.example.com' });
    for (const topic of [inbound.emailTopic, inbound.smsTopic]) {
      expect(resourceOf(template, topic).Properties.KmsMasterKeyId).toEqual(arnOf(key));
    }
    for (const [topic, service] of [
      [inbound.emailTopic, 'ses.amazonaws.com'],
      [inbound.smsTopic, 'sms-voice.amazonaws.com'],
    ] as const) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [refTo(topic)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sns:Publish',
              Principal: { Service: service },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            }),
          ]),
        },
      });
    }
  });

  it('deliver to their queues in the SNS envelope, and each queue accepts its own topic only', () => {
    const { inbound, template, inboundEmailQueue, inboundSmsQueue } = synthesize({
      inboundEmailDomain: 'inbound.example.com',
    });
    for (const [topic, queue] of [
      [inbound.emailTopic, inboundEmailQueue],
      [inbound.smsTopic, inboundSmsQueue],
    ] as const) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: refTo(topic),
        Endpoint: arnOf(queue),
        RawMessageDelivery: false,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [refTo(queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sqs:SendMessage',
              Principal: { Service: 'sns.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': refTo(topic) } },
            }),
          ]),
        },
      });
    }
  });

  it('may use the key: SES, End User Messaging SMS and SNS get data keys for this account', () => {
    const { template, key } = synthesize({ inboundEmailDomain: 'inbound.example.com' });
    const statements = (
      resourceOf(template, key).Properties as {
        KeyPolicy: { Statement: Array<{ Principal?: { Service?: string }; Action: string | string[] }> };
      }
    ).KeyPolicy.Statement;
    for (const service of ['ses.amazonaws.com', 'sms-voice.amazonaws.com', 'sns.amazonaws.com']) {
      const actions = statements.filter((s) => s.Principal?.Service === service).flatMap((s) => s.Action);
      expect(actions).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
    }
  });
});
