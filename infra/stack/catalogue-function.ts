// One catalogue entry as deployed: the bundled handler, its own role holding only what the entry's
// `access` asks for, and its own log group. Triggers are wired by the caller, which owns the API.

import { join } from 'node:path';
import {
  type CfnElement,
  Duration,
  aws_lambda_event_sources as eventSources,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type FunctionDefinition, maxConcurrencyOf } from '#infra/catalogue';
import { bucketNameVariable } from '#shared/storage-buckets';
import { queueUrlVariable } from '#shared/work-queues';
import { functionBundling } from './bundling.ts';
import type { CaseState } from './case-state.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

/** How every function is bundled (the options the bench's cold-start table uses too, from bundling.ts). */
export const lambdaBundling: nodejs.BundlingOptions = {
  format: functionBundling.format === 'esm' ? nodejs.OutputFormat.ESM : nodejs.OutputFormat.CJS,
  target: functionBundling.target,
  minify: functionBundling.minify,
  sourceMap: functionBundling.sourceMap,
  mainFields: [...functionBundling.mainFields],
  banner: functionBundling.banner,
  bundleAwsSDK: functionBundling.bundleAwsSDK,
  externalModules: [...functionBundling.externalModules],
  forceDockerBundling: false,
  // esbuild's warnings and errors only, not its per-bundle summary: `cdk synth --quiet` stays quiet
  // unless something is wrong (CDK still names each asset it bundles).
  logLevel: nodejs.LogLevel.WARNING,
};

export interface CatalogueFunctionProps {
  definition: FunctionDefinition;
  state: CaseState;
  settings: DeploymentSettings;
  /** The project root: catalogue entries and the lock file are relative to it. */
  projectRoot: string;
  /** Base of customer-facing links (the API URL unless the deployment names one). */
  publicBaseUrl: string;
}

export class CatalogueFunction extends Construct {
  readonly definition: FunctionDefinition;
  readonly handler: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CatalogueFunctionProps) {
    super(scope, id);
    const { definition, state, settings } = props;
    this.definition = definition;
    const functionName = `parcel-care-${settings.stage}-${definition.name}`;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });

    // An explicit role instead of the default one, which would carry the AWS-managed basic execution
    // policy (logs:* on every log group); this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${definition.name}: ${definition.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      functionName,
      description: definition.description.slice(0, 256),
      entry: join(props.projectRoot, definition.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: environmentFor(state, settings, props.publicBaseUrl),
      reservedConcurrentExecutions: definition.reservedConcurrency,
      // A scheduled run that fails is not run again: the next one comes within minutes anyway, and a
      // retry would overlap it. (EventBridge's own retries are off on the target too.)
      ...(definition.trigger.kind === 'schedule'
        ? { retryAttempts: 0, maxEventAge: Duration.seconds(definition.trigger.everyMinutes * 60) }
        : {}),
      bundling: lambdaBundling,
    });

    this.grantAccess(state, settings);
    if (definition.trigger.kind === 'queue') {
      const trigger = definition.trigger;
      this.handler.addEventSource(
        new eventSources.SqsEventSource(state.queue(trigger.queue).queue, {
          batchSize: trigger.batchSize,
          maxBatchingWindow:
            trigger.maxBatchingWindowSeconds > 0
              ? Duration.seconds(trigger.maxBatchingWindowSeconds)
              : undefined,
          reportBatchItemFailures: true,
          maxConcurrency: maxConcurrencyOf(trigger, settings.sendRates),
        }),
      );
    }

    this.acknowledgeGrantWildcards(state);
  }

  private grantAccess(state: CaseState, settings: DeploymentSettings): void {
    const { access } = this.definition;
    const stack = Stack.of(this);
    if (access.table === 'readWrite') state.table.grantReadWriteData(this.role);
    else if (access.table === 'read') state.table.grantReadData(this.role);

    for (const name of access.sendTo ?? []) state.queue(name).queue.grantSendMessages(this.role);

    if (access.hmacKey) state.hmacSecret.grantRead(this.role);

    if (access.attachmentFiles) state.buckets.grant(this.role, 'attachments', access.attachmentFiles);

    if (access.sendEmail) {
      const senderDomain = settings.senderEmail.split('@')[1];
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'SendThroughTheSenderIdentityAndConfigurationSet',
          actions: ['ses:SendEmail'],
          resources: [
            // SES authorises against the address identity, or the domain identity when only the domain is verified.
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.senderEmail }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
            stack.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: state.emailConfigurationSet.configurationSetName,
            }),
          ],
        }),
      );
    }

    if (access.sendSms) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'SendTextMessages',
          actions: ['sms-voice:SendTextMessage'],
          resources: [smsResources(stack)],
        }),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
        reason:
          'SendTextMessage is authorised against the origination identity, configuration set and opt-out list ' +
          'together; the origination identity is given per deployment (phone number, pool or sender ID, often ' +
          'not as an ARN), so the grant is limited to this account and region rather than to one identity.',
      });
    }
  }

  /** Wildcards that CDK's own grants produce, each acknowledged with why it is as narrow as it can be. */
  private acknowledgeGrantWildcards(state: CaseState): void {
    const { access } = this.definition;
    const stack = Stack.of(this);
    const acknowledge = (finding: string, reason: string) =>
      Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });

    acknowledge(
      'Resource::*',
      'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) do not support resource-level permissions.',
    );
    if (access.table) {
      const tableLogicalId = stack.resolve(stack.getLogicalId(state.table.node.defaultChild as CfnElement));
      acknowledge(
        `Resource::<${tableLogicalId}.Arn>/index/*`,
        'Queries run against the case table’s global secondary indexes (agent lists, due clocks, pending ' +
          'outbox); the grant covers the indexes of this one table only.',
      );
    }
    const encrypts = access.table === 'readWrite' || (access.sendTo?.length ?? 0) > 0;
    if (encrypts) {
      acknowledge(
        'Action::kms:GenerateDataKey*',
        'Writing to the encrypted table or queues needs data keys from the one customer-managed key; the ' +
          'wildcard only spans GenerateDataKey and GenerateDataKeyWithoutPlaintext on that key.',
      );
      acknowledge(
        'Action::kms:ReEncrypt*',
        'CDK’s encrypt grant on the one customer-managed key; the wildcard only spans ReEncryptFrom and ' +
          'ReEncryptTo on that key.',
      );
    }
  }
}

/** Where the functions' business metrics land: Powertools adds the service as a dimension to each. */
export const metricsNamespace = 'ParcelCare';
export const metricsService = 'parcel-care';

function environmentFor(
  state: CaseState,
  settings: DeploymentSettings,
  publicBaseUrl: string,
): Record<string, string> {
  const environment: Record<string, string> = {
    ...(functionBundling.nodeOptions.length > 0
      ? { NODE_OPTIONS: functionBundling.nodeOptions.join(' ') }
      : {}),
    STAGE: settings.stage,
    TABLE_NAME: state.table.tableName,
    SENDER_EMAIL: settings.senderEmail,
    PUBLIC_BASE_URL: publicBaseUrl,
    HMAC_SECRET_ARN: state.hmacSecret.secretArn,
    SES_CONFIGURATION_SET: state.emailConfigurationSet.configurationSetName,
    POWERTOOLS_SERVICE_NAME: metricsService,
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    ABUSE_LIMITS: JSON.stringify(settings.abuseLimits),
  };
  for (const [name, { queue }] of state.queues) environment[queueUrlVariable(name)] = queue.queueUrl;
  for (const [name, bucket] of state.buckets.buckets)
    environment[bucketNameVariable(name)] = bucket.bucketName;
  if (settings.smsOriginationIdentity) environment.SMS_ORIGINATION_IDENTITY = settings.smsOriginationIdentity;
  if (settings.smsConfigurationSet) environment.SMS_CONFIGURATION_SET = settings.smsConfigurationSet;
  if (settings.teamLeads) environment.TEAM_LEADS = JSON.stringify(settings.teamLeads);
  if (settings.carrierId) environment.CARRIER_ID = settings.carrierId;
  if (settings.compensationPolicies)
    environment.CARRIER_COMPENSATION_POLICIES = settings.compensationPolicies;
  if (settings.surveyDelayMinutes !== undefined)
    environment.SURVEY_DELAY_MINUTES = String(settings.surveyDelayMinutes);
  if (settings.smsCountryCodes) environment.SMS_COUNTRY_CODES = settings.smsCountryCodes;
  return environment;
}

function smsResources(stack: Stack): string {
  return stack.formatArn({ service: 'sms-voice', resource: '*' });
}
