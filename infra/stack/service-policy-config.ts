// The service policy in AWS AppConfig: a hosted configuration, validated against the document's JSON Schema
// before any deployment, rolled out gradually, and read by the functions through the AppConfigData API.
// The stack deploys policy/service-policy.json; operators deploy later versions without a release (README,
// "Service policy"). A release deploys the file again only when the file itself changed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { servicePolicyJsonSchema } from '../tools/print-service-policy.ts';

export const servicePolicyFile = fileURLToPath(new URL('../../policy/service-policy.json', import.meta.url));

export class ServicePolicyConfig extends Construct {
  readonly application: appconfig.Application;
  readonly environment: appconfig.Environment;
  readonly profile: appconfig.HostedConfiguration;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.application = new appconfig.Application(this, 'Application', {
      description: 'Parcel Care: the operator service policy',
    });
    this.environment = new appconfig.Environment(this, 'Environment', {
      application: this.application,
      environmentName: props.stage,
    });
    this.profile = new appconfig.HostedConfiguration(this, 'ServicePolicy', {
      application: this.application,
      name: 'service-policy',
      content: appconfig.ConfigurationContent.fromInlineJson(readFileSync(servicePolicyFile, 'utf8')),
      validators: [appconfig.JsonSchemaValidator.fromInline(servicePolicyJsonSchema())],
      // A fifth of the functions' environments every 2 minutes, then 5 minutes' bake: a bad document shows
      // in PolicyDocumentRejected before it reaches everyone, and the functions keep the last good one.
      deploymentStrategy: new appconfig.DeploymentStrategy(this, 'Rollout', {
        rolloutStrategy: appconfig.RolloutStrategy.linear({
          growthFactor: 20,
          deploymentDuration: Duration.minutes(10),
          finalBakeTime: Duration.minutes(5),
        }),
      }),
      deployTo: [this.environment],
    });
  }

  /** The variables that point a function at this profile. */
  environmentVariables(): Record<string, string> {
    return {
      POLICY_APPCONFIG_APPLICATION: this.application.applicationId,
      POLICY_APPCONFIG_ENVIRONMENT: this.environment.environmentId,
      POLICY_APPCONFIG_PROFILE: this.profile.configurationProfileId,
    };
  }

  /** Reads of this one profile in this one environment, and nothing else of AppConfig. */
  grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadServicePolicy',
        actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        resources: [
          Stack.of(this).formatArn({
            service: 'appconfig',
            resource: 'application',
            resourceName: `${this.application.applicationId}/environment/${this.environment.environmentId}/configuration/${this.profile.configurationProfileId}`,
          }),
        ],
      }),
    );
  }
}
