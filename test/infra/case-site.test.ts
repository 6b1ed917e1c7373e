// The deployed pages (CaseSite): a private, encrypted, TLS-only bucket behind CloudFront with origin
// access control, HTTPS only, a CSP and security headers, the API on the same origin, the Vite build and
// config.json deployed with the stack, and links in messages pointing at the site.
import { runInNewContext } from 'node:vm';
import { aws_cloudfront as cloudfront } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions as catalogueFunctions } from '#infra/catalogue';
import { apiPathPatterns, viewerIpFunctionCode } from '#infra/stack/case-site';
import type { ParcelCareStack } from '#infra/stack/parcel-care-stack';
import { buildTestApp } from './synth-app.ts';
import { logicalIdOf, refTo, resourceOf } from './template-lookup.ts';

// One function per first path segment keeps the synth short: the site only looks at the routes' paths.
const oneRoutePerSegment = [
  ...new Map(
    catalogueFunctions
      .filter((fn) => fn.trigger.kind === 'http')
      .map((fn) => [fn.trigger.kind === 'http' ? fn.trigger.path.split('/')[1] : '', fn] as const),
  ).values(),
];

let stack: ParcelCareStack;
let template: Template;
beforeAll(() => {
  ({ stack } = buildTestApp({ nag: false, functions: oneRoutePerSegment }));
  template = Template.fromStack(stack);
});

const siteUrl = () => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.site.distribution), 'DomainName'] }]],
});

describe('the site bucket', () => {
  it('blocks public access, is encrypted, and refuses requests without TLS', () => {
    const bucket = resourceOf(template, stack.site.bucket).Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: refTo(stack.site.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is read by CloudFront alone, through origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: refTo(stack.site.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    });
  });
});

describe('the distribution', () => {
  it('serves the pages over HTTPS only, with the page paths rewritten by a CloudFront function', () => {
    const config = resourceOf(template, stack.site.distribution).Properties.DistributionConfig as Record<
      string,
      any
    >;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      expect.objectContaining({ EventType: 'viewer-request' }),
    ]);
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Logging).toBeDefined();
    for (const behavior of config.CacheBehaviors) expect(behavior.ViewerProtocolPolicy).toBe('https-only');
  });

  it('sends the API’s paths to API Gateway over TLS, uncached, so the pages need no CORS', () => {
    const config = resourceOf(template, stack.site.distribution).Properties.DistributionConfig as Record<
      string,
      any
    >;
    expect(
      config.CacheBehaviors.map((behavior: { PathPattern: string }) => behavior.PathPattern).sort(),
    ).toEqual(apiPathPatterns(catalogueFunctions));
    expect(apiPathPatterns(catalogueFunctions)).toEqual(['/agent*', '/cases*', '/health*']);
    const apiOrigin = config.Origins.find(
      (origin: { CustomOriginConfig?: unknown }) => origin.CustomOriginConfig,
    );
    expect(apiOrigin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(logicalIdOf(stack.service.httpApi));
  });

  it('tells the API each viewer’s address: a viewer-request function on every API path, forwarded to the origin', () => {
    const config = resourceOf(template, stack.site.distribution).Properties.DistributionConfig as Record<
      string,
      any
    >;
    const viewerIp = Object.entries(template.findResources('AWS::CloudFront::Function')).filter(
      ([, fn]) => (fn as any).Properties.FunctionCode === viewerIpFunctionCode(),
    );
    expect(viewerIp).toHaveLength(1);
    const [[viewerIpId]] = viewerIp as [[string, unknown]];
    expect(config.CacheBehaviors).toHaveLength(apiPathPatterns(catalogueFunctions).length);
    for (const behavior of config.CacheBehaviors) {
      expect(behavior.FunctionAssociations, behavior.PathPattern).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [viewerIpId, 'FunctionARN'] } },
      ]);
      expect(behavior.OriginRequestPolicyId, behavior.PathPattern).toBe(
        cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      );
    }
    // The pages keep their own function only.
    expect(config.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN).not.toEqual({
      'Fn::GetAtt': [viewerIpId, 'FunctionARN'],
    });
  });

  it('sets x-viewer-ip to the viewer’s address, overwriting the one a client sent', () => {
    const request = {
      method: 'POST',
      uri: '/cases',
      headers: { 'x-viewer-ip': { value: '10.0.0.1' }, 'content-type': { value: 'application/json' } },
    };
    const forwarded = runInNewContext(`${viewerIpFunctionCode()}\nhandler(event);`, {
      event: { viewer: { ip: '198.51.100.23' }, request },
    });
    expect(forwarded).toEqual({
      ...request,
      headers: { 'x-viewer-ip': { value: '198.51.100.23' }, 'content-type': { value: 'application/json' } },
    });
  });

  it('adds a CSP and security headers to every page', () => {
    const policy = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const [headers] = Object.values(policy).map(
      (resource) => (resource as any).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig,
    );
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ])
      expect(csp).toContain(directive);
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31536000,
      Override: true,
    });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
  });
});

describe('deployment and sign-in', () => {
  it('deploys the Vite build and a config.json naming the hosted UI and its client', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as any[];
    expect(deployment.Properties.DestinationBucketName).toEqual(refTo(stack.site.bucket));
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(logicalIdOf(stack.site.userPoolClient));
    expect(markers).toContain(logicalIdOf(stack.site.distribution));
  });

  it('gives the workspace a public client for the authorization code flow (with PKCE) back to /workspace/', () => {
    const client = resourceOf(template, stack.site.userPoolClient).Properties;
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(client.CallbackURLs).toEqual([
      {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.site.distribution), 'DomainName'] }, '/workspace/'],
        ],
      },
    ]);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('lets the API accept the workspace’s tokens', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Audience: [refTo(stack.state.userPoolClient), refTo(stack.site.userPoolClient)],
      },
    });
  });

  it('points the links in messages at the site', () => {
    for (const fn of stack.service.functions) {
      const variables = (resourceOf(template, fn.handler).Properties.Environment as any).Variables;
      expect(variables.PUBLIC_BASE_URL, fn.definition.name).toEqual(siteUrl());
    }
  });
});
