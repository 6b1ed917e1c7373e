// The HTTP API's `$default` route and its function: a request no route matches (unknown path, or a
// known path with another method) gets API.md's error shape instead of API Gateway's `{"message":…}`.
// The function reads nothing and may only write its own logs and traces.

import { join } from 'node:path';
import {
  aws_apigatewayv2 as apigwv2,
  Duration,
  aws_iam as iam,
  aws_apigatewayv2_integrations as integrations,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { defaultRouteFunction } from '../default-route.ts';
import { lambdaBundling } from './catalogue-function.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

export interface DefaultRouteProps {
  httpApi: apigwv2.HttpApi;
  settings: DeploymentSettings;
  projectRoot: string;
}

export class DefaultRoute extends Construct {
  readonly handler: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly route: apigwv2.HttpRoute;

  constructor(scope: Construct, id: string, props: DefaultRouteProps) {
    super(scope, id);
    const { settings } = props;
    const functionName = `parcel-care-${settings.stage}-${defaultRouteFunction.name}`;
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: defaultRouteFunction.description,
    });
    this.role = role;
    logGroup.grantWrite(role);
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      functionName,
      description: defaultRouteFunction.description,
      entry: join(props.projectRoot, defaultRouteFunction.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: defaultRouteFunction.memoryMb,
      timeout: Duration.seconds(defaultRouteFunction.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'parcel-care' },
      bundling: lambdaBundling,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) do not support resource-level permissions.',
    });

    this.route = new apigwv2.HttpRoute(this, 'Route', {
      httpApi: props.httpApi,
      routeKey: apigwv2.HttpRouteKey.DEFAULT,
      integration: new integrations.HttpLambdaIntegration('Integration', this.handler),
    });
    Validations.of(this.route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The catch-all answers 404 or 405 for requests no route matched and reads no data; the /agent routes ' +
        'keep their JWT authorizer, which API Gateway applies before this route is considered.',
    });
  }
}
