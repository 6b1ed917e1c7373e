// The AWS WAF web ACL of the public edge (a rate-based rule per source IP and AWS's managed common rule
// set), for the one CloudFront distribution that serves the pages and the API (`case-site.ts`). HTTP APIs
// cannot take a web ACL themselves, and moving to a REST API would change every handler's event shape,
// the authorizer and the sandbox's gateway; CloudFront keeps all of that and adds the edge.
//
// A web ACL for CloudFront (scope CLOUDFRONT) can only be created in us-east-1. Deployed there, the
// stack makes its own; deployed anywhere else, give it one made in us-east-1 (context `wafWebAclArn`,
// e.g. from `infra/edge-acl-app.ts`). Either way the distribution is never created without an ACL.

import { aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface EdgeWebAclProps {
  /** Name of the web ACL and of its CloudWatch metrics. */
  name: string;
  /** Requests one source IP may send in any 5 minutes; beyond it WAF answers 429. */
  ratePer5Minutes: number;
}

const rateLimitedBody = JSON.stringify({
  error: { code: 'rate_limited', message: 'Too many requests from this address; try again in a few minutes' },
});

/** The web ACL alone, so that it can be made in us-east-1 by its own stack when the API lives elsewhere. */
export class EdgeWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Parcel Care public API: per-IP rate limit and the AWS common rule set',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: rateLimitedBody },
      },
      rules: [
        {
          name: 'RatePerSourceIp',
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: props.ratePer5Minutes,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          action: {
            block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } },
          },
          visibilityConfig: visibility(`${props.name}-rate-per-ip`),
        },
        {
          name: 'AwsCommonRuleSet',
          priority: 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // API.md accepts bodies up to 64 KiB and the handlers enforce it; the rule set's 8 KB body
              // limit would refuse valid submissions, so that one rule only counts.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility(`${props.name}-common-rule-set`),
        },
      ],
    });
  }
}
