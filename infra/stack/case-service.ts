// The code half of the backend: one function per catalogue entry, and the triggers the catalogue
// names for it (HTTP route, queue, schedule). Nothing here holds data; redeploying it loses nothing.

import {
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_apigatewayv2_authorizers as authorizers,
  Duration,
  aws_events as events,
  aws_apigatewayv2_integrations as integrations,
  aws_logs as logs,
  Stack,
  aws_events_targets as targets,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { apiThrottle, type FunctionDefinition } from '#infra/catalogue';
import type { CaseState } from './case-state.ts';
import { CatalogueFunction } from './catalogue-function.ts';
import { DefaultRoute } from './default-route.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

export interface CaseServiceProps {
  settings: DeploymentSettings;
  state: CaseState;
  functions: readonly FunctionDefinition[];
  projectRoot: string;
  /** App clients besides the staff tools' whose tokens the API accepts (the workspace's hosted UI client). */
  staffAudiences?: string[];
}

/** Throttling of the default stage, per second across all routes. */

export class CaseService extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly apiStage: apigwv2.HttpStage;
  readonly functions: readonly CatalogueFunction[];
  /** `$default`: requests no route matched answer 404/405 in API.md's shape. */
  readonly defaultRoute: DefaultRoute;

  constructor(scope: Construct, id: string, props: CaseServiceProps) {
    super(scope, id);
    const { settings, state } = props;
    const stack = Stack.of(this);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `parcel-care-${settings.stage}`,
      description: 'Parcel Care: customer and agent routes',
      // The stage is declared below so it can carry throttling and access logs.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.apiStage = new apigwv2.HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // Who called what and how it went; never bodies, headers or query strings (case tokens travel there).
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const publicBaseUrl = settings.publicBaseUrl ?? this.httpApi.apiEndpoint;
    this.functions = props.functions.map(
      (definition) =>
        new CatalogueFunction(this, definition.name, {
          definition,
          state,
          settings,
          projectRoot: props.projectRoot,
          publicBaseUrl,
        }),
    );

    this.defaultRoute = new DefaultRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      settings,
      projectRoot: props.projectRoot,
    });

    const staffAuthorizer = new authorizers.HttpJwtAuthorizer(
      'StaffJwtAuthorizer',
      `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${state.userPool.userPoolId}`,
      {
        authorizerName: 'staff-jwt',
        jwtAudience: [state.userPoolClient.userPoolClientId, ...(props.staffAudiences ?? [])],
        identitySource: ['$request.header.Authorization'],
      },
    );

    for (const fn of this.functions) {
      const { trigger, name } = fn.definition;
      if (trigger.kind === 'http') {
        const routes = this.httpApi.addRoutes({
          path: trigger.path,
          methods: [apigwv2.HttpMethod[trigger.method]],
          integration: new integrations.HttpLambdaIntegration(`${name}Integration`, fn.handler),
          authorizer: trigger.auth === 'jwt' ? staffAuthorizer : undefined,
        });
        if (trigger.auth === 'none') {
          for (const route of routes) {
            Validations.of(route).acknowledge({
              id: 'AwsSolutions-APIG4',
              reason:
                'Customer route (API.md): customers have no login. Ownership is proven in the handler by the ' +
                'case token (X-Case-Token or ?token=), submissions need no identity, and the stage is throttled.',
            });
          }
        }
      } else if (trigger.kind === 'schedule') {
        new events.Rule(this, `${name}Schedule`, {
          description: `Runs ${trigger.job} every ${trigger.everyMinutes} minute(s)`,
          schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
          targets: [
            // No retries: a failed run would overlap the next ones; the next run picks up what it missed.
            new targets.LambdaFunction(fn.handler, {
              retryAttempts: 0,
              maxEventAge: Duration.minutes(trigger.everyMinutes),
            }),
          ],
        });
      }
    }
  }
}
