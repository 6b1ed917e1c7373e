// The pages (API.md "Pages") as a static site: the Vite build in a private S3 bucket behind CloudFront
// with origin access control, HTTPS only, security headers and a CSP. The API is served from the same
// origin (its paths go to API Gateway), so the pages need no CORS. It is the one public edge: the AWS WAF
// web ACL (`api-edge.ts`) sits on it, and a CloudFront function tells the API each viewer's address.
// Staff sign in through the Cognito hosted UI (authorization code with PKCE); `config.json`, written at
// deploy time, tells the pages where to send them. Self-contained: the stack adds it with one line and
// hands it the API afterwards.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { aws_apigatewayv2 as apigwv2 } from 'aws-cdk-lib';
import {
  Aws,
  type CfnElement,
  aws_cloudfront as cloudfront,
  aws_cognito as cognito,
  Duration,
  aws_cloudfront_origins as origins,
  Stack,
  aws_s3 as s3,
  aws_s3_deployment as s3deploy,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { viewerIpHeader } from '#events/route-contract';
import type { FunctionDefinition } from '#infra/catalogue';
import { cloudFrontRewriteCode, siteSecurityHeadersWith } from '../../web/site-routes.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { staffOAuthScopes, staffWritableAttributes } from './staff-sign-in.ts';

export interface CaseSiteProps {
  settings: DeploymentSettings;
  userPool: cognito.IUserPool;
  /** The Vite build (`npm run build:web`). */
  siteDir: string;
  /** The CLOUDFRONT-scope WAF web ACL in front of the pages and the API. */
  webAclArn: string;
  /** Buckets the pages upload to and show images from (attachments), e.g. https://<bucket>.s3.<region>.amazonaws.com. */
  bucketOrigins?: readonly string[];
}

/** CloudFront path patterns of the API's routes: one per first path segment (`/cases*`, `/agent*`, …). */
export function apiPathPatterns(functions: readonly FunctionDefinition[]): string[] {
  const segments = new Set(
    functions.flatMap((fn) => (fn.trigger.kind === 'http' ? [fn.trigger.path.split('/')[1]!] : [])),
  );
  return [...segments].sort().map((segment) => `/${segment}*`);
}

/**
 * Viewer-request code on the API's paths: the viewer's address in `x-viewer-ip`, overwriting whatever the
 * client sent, since API Gateway sees only CloudFront's edge (functions/middleware/http-route.ts).
 */
export function viewerIpFunctionCode(): string {
  return [
    'function handler(event) {',
    `  event.request.headers[${JSON.stringify(viewerIpHeader)}] = { value: event.viewer.ip };`,
    '  return event.request;',
    '}',
  ].join('\n');
}

export class CaseSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPoolDomain: cognito.UserPoolDomain;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Where staff sign-in returns to and sign-out lands (the first is the workspace's own redirect). */
  readonly workspaceUrls: readonly string[];
  /** https://<distribution domain>, the base of every link in messages. */
  readonly url: string;
  private readonly props: CaseSiteProps;

  constructor(scope: Construct, id: string, props: CaseSiteProps) {
    super(scope, id);
    this.props = props;
    const { settings } = props;
    if (!existsSync(path.join(props.siteDir, 'case.html'))) {
      throw new Error(`The pages are not built in ${props.siteDir}: run \`npm run build:web\` first`);
    }

    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are written with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the access logs of the site bucket and the distribution; logging its own ' +
        'access would log the logging.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-access/',
      removalPolicy: settings.removalPolicy,
    });

    // Staff sign in on the hosted UI; the pages trade the code at its token endpoint, which the CSP allows.
    this.userPoolDomain = props.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: `parcel-care-${settings.stage}-${Aws.ACCOUNT_ID}` },
    });
    const csp = siteSecurityHeadersWith(props.bucketOrigins ?? [])['content-security-policy']!.replace(
      "connect-src 'self'",
      `connect-src 'self' ${this.userPoolDomain.baseUrl()}`,
    );
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Parcel Care pages: CSP and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const rewrite = new cloudfront.Function(this, 'PagePaths', {
      comment: 'Serves each page at its paths (web/site-routes.ts)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(cloudFrontRewriteCode()),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Parcel Care ${settings.stage}: case page, workspace, API docs and the API, behind AWS WAF`,
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // The workspace signs staff in with the authorization code grant and PKCE (web/src/workspace/session.ts
    // always sends a code challenge; Cognito has no switch to demand one, so a public client with no
    // secret, no implicit grant and these callbacks is as far as the pool goes). Callbacks: context
    // `staffCallbackUrls`, or the site's own workspace.
    this.workspaceUrls = settings.staffCallbackUrls ?? [`${this.url}/workspace/`];
    this.userPoolClient = props.userPool.addClient('WorkspaceClient', {
      userPoolClientName: `parcel-care-${settings.stage}-workspace`,
      generateSecret: false,
      // SRP only (and refresh): never a password sent to Cognito in clear.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: staffOAuthScopes,
        callbackUrls: [...this.workspaceUrls],
        logoutUrls: [...this.workspaceUrls],
      },
      writeAttributes: staffWritableAttributes,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Customers follow their case link and write from wherever they are (travel, abroad); WAF ' +
        'rate-limits per IP instead, and every API call is checked by the case token or the staff JWT.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default CloudFront certificate, whose viewer policy CloudFront fixes; ' +
        'TLS 1.2 (TLSv1.2_2021) applies once a custom domain and certificate are attached.',
    });
  }

  /** The API on the site's own origin, and `config.json` for the pages: call once the API exists. */
  serveApi(httpApi: apigwv2.IHttpApi, functions: readonly FunctionDefinition[]): void {
    const stack = Stack.of(this);
    const apiOrigin = new origins.HttpOrigin(
      `${httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );
    const viewerIp = new cloudfront.Function(this, 'ViewerIp', {
      comment: 'Tells the API the viewer address (x-viewer-ip), overwriting what the client sent',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(viewerIpFunctionCode()),
    });
    for (const pattern of apiPathPatterns(functions)) {
      this.distribution.addBehavior(pattern, apiOrigin, {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        // Nothing is cached: every answer is per case, per token or per staff member.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Every viewer header (x-viewer-ip included) but Host: API Gateway routes on its own host name.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        functionAssociations: [
          { function: viewerIp, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      });
    }

    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(this.props.siteDir),
        s3deploy.Source.jsonData('config.json', {
          apiUrl: '',
          auth: {
            kind: 'cognito',
            domain: this.userPoolDomain.baseUrl(),
            clientId: this.userPoolClient.userPoolClientId,
            redirectUri: this.workspaceUrls[0],
          },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    this.acknowledgeDeploymentHandler(deployment);
  }

  /** BucketDeployment's handler is CDK's own singleton function; what cdk-nag finds there, and why. */
  private acknowledgeDeploymentHandler(deployment: s3deploy.BucketDeployment): void {
    const stack = Stack.of(this);
    const acknowledge = (id: string, reason: string) =>
      Validations.of(deployment.handlerRole).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK’s deployment handler writes its own logs with the basic execution role; it runs only during deploys.',
    );
    const bucketId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)) as string;
    const wildcards: Array<[string, string]> = [
      ['Action::s3:GetBucket*', 'reads the staged asset and the site bucket'],
      ['Action::s3:GetObject*', 'copies the staged build out of the CDK assets bucket'],
      ['Action::s3:List*', 'lists the site bucket to prune files the new build no longer has'],
      ['Action::s3:Abort*', 'aborts its own failed multipart uploads into the site bucket'],
      ['Action::s3:DeleteObject*', 'prunes files of earlier builds from the site bucket'],
      [
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        'reads the build from the CDK bootstrap assets bucket of this account and region',
      ],
      [`Resource::<${bucketId}.Arn>/*`, 'writes every file of the build into this site bucket only'],
      [
        'Resource::*',
        'invalidates the distribution after a deploy; CreateInvalidation takes no narrower resource here',
      ],
    ];
    for (const [finding, why] of wildcards)
      acknowledge(
        `AwsSolutions-IAM5[${finding}]`,
        `CDK’s BucketDeployment handler ${why}; it runs only during deploys.`,
      );
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib and moves with its upgrades.',
      });
    }
  }
}
