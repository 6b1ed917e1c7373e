// The public edge of the API: CloudFront in front of the HTTP API, with an AWS WAF web ACL (a rate-based
// rule per source IP and AWS's managed common rule set). HTTP APIs cannot take a web ACL themselves, and
// moving to a REST API would change every handler's event shape, the authorizer and the sandbox's
// gateway; CloudFront keeps all of that and adds the edge.
//
// A web ACL for CloudFront (scope CLOUDFRONT) can only be created in us-east-1. Deployed there, this
// stack makes its own; deployed anywhere else, give it one made in us-east-1 (context `wafWebAclArn`,
// e.g. from `infra/edge-acl-app.ts`). Either way no distribution is created without an ACL.

import type { aws_apigatewayv2 as apigwv2 } from 'aws-cdk-lib';
import {
  aws_cloudfront as cloudfront,
  Duration,
  aws_cloudfront_origins as origins,
  Stack,
  Validations,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
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

export interface ApiEdgeProps {
  httpApi: apigwv2.HttpApi;
  /** A CLOUDFRONT-scope web ACL made in us-east-1; without it one is made here (the stack must be in us-east-1). */
  webAclArn?: string;
  webAcl: EdgeWebAclProps;
}

export class ApiEdge extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** The web ACL made here, when none was given. */
  readonly ownWebAcl?: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: ApiEdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!props.webAclArn) this.ownWebAcl = new EdgeWebAcl(this, 'Acl', props.webAcl);
    const webAclArn = props.webAclArn ?? this.ownWebAcl!.webAcl.attrArn;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Parcel Care API behind AWS WAF',
      webAclId: webAclArn,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      defaultBehavior: {
        origin: new origins.HttpOrigin(
          `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
          {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            readTimeout: Duration.seconds(30),
          },
        ),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        // Nothing is cached: every answer is per case, per token or per staff member.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Every header but Host (API Gateway routes on its own host name), every query string and cookie.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Customers may write from anywhere (travellers, overseas senders); WAF rate-limits per IP instead.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The HTTP API stage keeps an access log of every request (route, status, latency, source IP); a second ' +
          'log in an S3 bucket would duplicate it.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses its default *.cloudfront.net certificate, with which CloudFront cannot enforce ' +
          'a minimum TLS version; a deployment with its own domain and certificate gets TLSv1.2_2021.',
      },
    );
  }
}
