// Issue 12 §2 and §6 in the template: AWS WAF on the one CloudFront distribution in front of the pages and
// the HTTP API, a maximum
// concurrency on every queue trigger, and one sweep at a time with no retries.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions as catalogueFunctions, intakeConcurrency, queueSizing } from '#infra/catalogue';
import type { ParcelCareStack } from '#infra/stack/parcel-care-stack';
import { buildTestApp } from './synth-app.ts';
import { arnOf, refTo, type TemplateResource } from './template-lookup.ts';

// The assertions read the template, not the bundles: skip esbuild for speed.
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const givenAcl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/parcel-care-prod-api/0a1b2c3d-4e5f';

let stack: ParcelCareStack;
let template: Template;
beforeAll(() => {
  ({ stack } = buildTestApp({
    nag: false,
    context: { ...noBundling, sesSendRatePerSecond: 200, smsSendRatePerSecond: 100 },
  }));
  template = Template.fromStack(stack);
});

const deployed = (name: string) => stack.service.functions.find((fn) => fn.definition.name === name)!;

describe('the public edge', () => {
  it('puts the web ACL on the one distribution, which serves the pages and the HTTP API uncached', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const acl = stack.ownWebAcl!.webAcl;
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [stack.resolve(acl.logicalId), 'Arn'] },
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([refTo(stack.service.httpApi)])]),
            }),
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ]),
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({
            PathPattern: '/cases*',
            AllowedMethods: Match.arrayWith(['GET', 'POST', 'DELETE']),
            ViewerProtocolPolicy: 'https-only',
            // The managed CachingDisabled policy.
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          }),
        ]),
      }),
    });
    // One URL for customers: the site's.
    template.hasOutput('SiteUrl', {});
    expect(Object.keys(template.findOutputs('EdgeUrl'))).toEqual([]);
  });

  it('blocks an IP over the rate with a 429 and runs the AWS common rule set, letting API.md’s 64 KiB bodies through', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'RatePerSourceIp',
          Statement: {
            RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
          Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
        }),
        Match.objectLike({
          Name: 'AwsCommonRuleSet',
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
          OverrideAction: { None: {} },
        }),
      ],
    });
  });

  it('uses a web ACL made in us-east-1 when the deployment names one, and makes none of its own', () => {
    const { stack: other } = buildTestApp({ nag: false, context: { ...noBundling, wafWebAclArn: givenAcl } });
    const otherTemplate = Template.fromStack(other);
    otherTemplate.resourceCountIs('AWS::WAFv2::WebACL', 0);
    otherTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: givenAcl }),
    });
  });

  it('refuses a web ACL ARN that is not CloudFront-scoped in us-east-1', () => {
    const regional = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0a1b';
    expect(() => buildTestApp({ nag: false, context: { ...noBundling, wafWebAclArn: regional } })).toThrow(
      /wafWebAclArn/,
    );
  });
});

describe('concurrency and retries', () => {
  it('gives every queue trigger its batch and maximum concurrency, the notification ones sized to the context’s send rates', () => {
    const consumers = catalogueFunctions.filter((fn) => fn.trigger.kind === 'queue');
    for (const consumer of consumers) {
      if (consumer.trigger.kind !== 'queue') continue;
      const expected = queueSizing(consumer.trigger, { emailPerSecond: 200, smsPerSecond: 100 });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: refTo(deployed(consumer.name).handler),
        BatchSize: expected.batchSize,
        ScalingConfig: { MaximumConcurrency: expected.maxConcurrency },
      });
    }
    // Each channel apart: 200 emails/s over 20/s per invocation, 100 SMS/s over 20/s per invocation.
    const scaling = (name: string, batch: number, maximum: number) =>
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: refTo(deployed(name).handler),
        EventSourceArn: arnOf(
          stack.state.queue(name === 'SmsNotificationConsumer' ? 'smsNotifications' : 'notifications').queue,
        ),
        BatchSize: batch,
        ScalingConfig: { MaximumConcurrency: maximum },
      });
    scaling('NotificationConsumer', 10, 10);
    scaling('SmsNotificationConsumer', 10, 5);
    // Intake from the expected peak (1,150 cases/s at 20/s per invocation, twice over), whatever the rates.
    expect(intakeConcurrency(10)).toBe(115);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: refTo(deployed('IntakeConsumer').handler),
      ScalingConfig: { MaximumConcurrency: 115 },
    });
  });

  it('sizes the email consumer to a raised SES rate without the SMS rate holding it back', () => {
    const { stack: peak } = buildTestApp({
      nag: false,
      context: { ...noBundling, sesSendRatePerSecond: 1000, smsSendRatePerSecond: 10 },
    });
    const peakTemplate = Template.fromStack(peak);
    const fn = (name: string) =>
      peak.service.functions.find((candidate) => candidate.definition.name === name)!;
    peakTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: refTo(fn('NotificationConsumer').handler),
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 50 },
    });
    // 10 SMS/s: Lambda's floor of 2 invocations, in batches of 2 (8/s).
    peakTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: refTo(fn('SmsNotificationConsumer').handler),
      BatchSize: 2,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('runs one sweep at a time, never retried by EventBridge or by Lambda', () => {
    const sweep = deployed('SlaSweep');
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp('SlaSweep$'),
      ReservedConcurrentExecutions: 1,
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: arnOf(sweep.handler),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: refTo(sweep.handler),
      MaximumRetryAttempts: 0,
    });
    const others = Object.values(template.findResources('AWS::Lambda::Function')) as TemplateResource[];
    expect(others.filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined)).toHaveLength(1);
  });
});
