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
import {
  type FunctionAccess,
  type FunctionDefinition,
  queueSizing,
  type TableAccess,
} from '#infra/catalogue';
import { bucketNameVariable } from '#shared/storage-buckets';
import { queueUrlVariable } from '#shared/work-queues';
import { aliasesOf, functionBundling } from './bundling.ts';
import type { CaseState, StreamFailureQueueName } from './case-state.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { serviceLocalPart } from './inbound-channels.ts';
import { pascalCase } from './names.ts';
import { leadingKeysOf, statementId, tableAccessWrites, tableStatements } from './table-grants.ts';

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
  // `--alias:<module>=<absolute path>`: a path on this machine, so bundling stays local (never Docker).
  esbuildArgs: {
    '--alias': Object.entries(aliasesOf(functionBundling)).map(([module, file]) => `${module}=${file}`),
  },
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
      // Batch and maximum concurrency: the catalogue's, or derived from the expected peak or the send rates.
      const sizing = queueSizing(trigger, settings.sendRates);
      this.handler.addEventSource(
        new eventSources.SqsEventSource(state.queue(trigger.queue).queue, {
          batchSize: sizing.batchSize,
          maxBatchingWindow:
            trigger.maxBatchingWindowSeconds > 0
              ? Duration.seconds(trigger.maxBatchingWindowSeconds)
              : undefined,
          reportBatchItemFailures: true,
          maxConcurrency: sizing.maxConcurrency,
        }),
      );
    }
    if (definition.trigger.kind === 'tableStream') {
      const trigger = definition.trigger;
      // Grants the role the stream's read actions (and ListStreams, which takes no resource but `*`).
      this.handler.addEventSource(
        new eventSources.DynamoEventSource(state.table, {
          // TRIM_HORIZON, not LATEST: a mapping starts reading only once it is created and enabled, minutes
          // after the stream exists, and LATEST would start at the tip of that moment, so a change committed
          // meanwhile (first deploy, or a mapping replaced) would never reach the completer. Reading from the
          // oldest record the stream keeps (24 hours) costs only replays, and a replay is harmless: the
          // completer finds the change's proof and does nothing. (A replaced mapping reports the records
          // older than maxRecordAgeSeconds to the on-failure queue instead: README, Operating it.)
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          filters: [lambda.FilterCriteria.filter(trigger.filterPattern)],
          batchSize: trigger.batchSize,
          maxBatchingWindow:
            trigger.maxBatchingWindowSeconds > 0
              ? Duration.seconds(trigger.maxBatchingWindowSeconds)
              : undefined,
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: trigger.retryAttempts,
          maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
          tumblingWindow: Duration.seconds(trigger.tumblingWindowSeconds),
          // One batch of a shard at a time: the report counters' marks rely on each shard's order.
          parallelizationFactor: 1,
          onFailure: sendOnlyFailureDestination(state, trigger.onFailure),
        }),
      );
    }

    this.acknowledgeGrantWildcards();
  }

  private grantAccess(state: CaseState, settings: DeploymentSettings): void {
    const { access } = this.definition;
    const stack = Stack.of(this);
    if (access.table) this.grantTable(state, access.table);

    // Sending only (SendMessageBatch is authorised as SendMessage; the URLs come from the environment),
    // where CDK's grantSendMessages would add GetQueueAttributes, GetQueueUrl and KMS wildcards.
    for (const name of access.sendTo ?? []) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `SendTo${pascalCase(name)}`,
          actions: ['sqs:SendMessage'],
          resources: [state.queue(name).queue.queueArn],
        }),
      );
    }
    const keyActions = keyActionsFor(access);
    if (keyActions.length > 0) state.key.grant(this.role, ...keyActions);

    if (access.hmacKey) state.hmacSecret.grantRead(this.role);
    if (access.policy) state.servicePolicy.grantRead(this.role);

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

    if (access.readInboundMail) {
      const inbound = state.inbound;
      if (!inbound)
        throw new Error(`${this.definition.name} reads inbound mail, but the stack has no inbound channels`);
      // GetObject only (grantRead would add List* and GetBucket*), and Decrypt to read the SSE-KMS objects.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadRawInboundMail',
          actions: ['s3:GetObject'],
          resources: [inbound.mailBucket.arnForObjects('inbound/*')],
        }),
      );
      state.key.grantDecrypt(this.role);
      const bucketLogicalId = stack.resolve(
        stack.getLogicalId(inbound.mailBucket.node.defaultChild as CfnElement),
      );
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/inbound/*]`,
        reason:
          'SES names each stored message by its own message id under inbound/; the consumer reads whichever ' +
          'object the receipt notification names, in this one bucket and prefix only.',
      });
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

  /** The table actions the entry names, each on its key families or indexes only (table-grants.ts). */
  private grantTable(state: CaseState, table: TableAccess): void {
    for (const statement of tableStatements(table)) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: statementId(statement),
          actions: statement.actions,
          ...('families' in statement
            ? {
                resources: [state.table.tableArn],
                conditions: {
                  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeysOf(statement.families) },
                },
              }
            : { resources: statement.indexes.map((index) => `${state.table.tableArn}/index/${index}`) }),
        }),
      );
    }
  }

  /**
   * X-Ray's `*` (and a stream consumer's ListStreams), the one wildcard left: no function role holds a
   * wildcard action (grant-matrix.test.ts).
   */
  private acknowledgeGrantWildcards(): void {
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) do not support resource-level permissions' +
        (this.definition.trigger.kind === 'tableStream'
          ? '; nor does dynamodb:ListStreams, which the table stream event source needs beside its reads of the one stream.'
          : '.'),
    });
  }
}

/**
 * A table-stream event source's on-failure queue, granted as the function's other sends are: SendMessage on
 * that queue and the data key's two actions, where CDK's SqsDlq (grantSendMessages) would add
 * GetQueueAttributes, GetQueueUrl and KMS wildcards. Lambda sends with the function's role.
 */
function sendOnlyFailureDestination(state: CaseState, name: StreamFailureQueueName): lambda.IEventSourceDlq {
  const queue = state.streamFailureQueue(name);
  return {
    bind: (_mapping, target) => {
      target.addToRolePolicy(
        new iam.PolicyStatement({
          sid: `SendFailedBatchesTo${pascalCase(name)}`,
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
        }),
      );
      state.key.grant(target, 'kms:Decrypt', 'kms:GenerateDataKey');
      return { destination: queue.queueArn };
    },
  };
}

/**
 * The data key's actions a function needs, spelled out (no `GenerateDataKey*` or `ReEncrypt*`): decrypt to
 * read the table or a queue, data keys to write the table or send to a queue. The secret's grant adds its own.
 */
function keyActionsFor(access: FunctionAccess): string[] {
  const reads = Object.values(access.table ?? {}).some((names) => names.length > 0);
  const writes = access.table !== undefined && tableAccessWrites(access.table);
  const sends = (access.sendTo?.length ?? 0) > 0;
  return [
    ...(reads || sends ? ['kms:Decrypt'] : []),
    ...(reads ? ['kms:DescribeKey'] : []),
    ...(writes
      ? ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext']
      : []),
    ...(writes || sends ? ['kms:GenerateDataKey'] : []),
  ];
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
  Object.assign(environment, state.servicePolicy.environmentVariables());
  if (settings.inboundEmailDomain)
    environment.INBOUND_EMAIL_ADDRESS = `${serviceLocalPart}@${settings.inboundEmailDomain}`;
  return environment;
}

function smsResources(stack: Stack): string {
  return stack.formatArn({ service: 'sms-voice', resource: '*' });
}
