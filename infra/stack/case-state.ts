// The long-lived half of the backend: what holds data or identities and must survive a redeploy of
// the code. Everything here takes its removal policy from the deployment settings.

import {
  aws_cognito as cognito,
  Duration,
  aws_dynamodb as dynamodb,
  aws_events as events,
  aws_iam as iam,
  aws_kms as kms,
  RemovalPolicy,
  Stack,
  aws_secretsmanager as secretsmanager,
  aws_ses as ses,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_sns_subscriptions as subscriptions,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { caseTable, type IndexDefinition, type KeyAttribute } from '#adapters/case-table';
import { staffRoles } from '#domain/staff-permissions';
import { type FunctionDefinition, type FunctionTrigger, visibilityTimeoutSeconds } from '#infra/catalogue';
import type { QueueDefinition, QueueName } from '#shared/work-queues';
import { CaseBuckets } from './case-buckets.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { InboundChannels } from './inbound-channels.ts';
import { pascalCase } from './names.ts';
import { ServicePolicyConfig } from './service-policy-config.ts';
import { staffWritableAttributes } from './staff-sign-in.ts';

export interface CaseStateProps {
  settings: DeploymentSettings;
  queues: readonly QueueDefinition[];
  /**
   * Used to size each queue's visibility timeout to its consumer, and for the on-failure queues their
   * table-stream triggers name.
   */
  functions: readonly FunctionDefinition[];
}

/** The on-failure destinations the catalogue's table-stream triggers name (`onFailure`). */
export type StreamFailureQueueName = Extract<FunctionTrigger, { kind: 'tableStream' }>['onFailure'];

export interface CaseQueue {
  definition: QueueDefinition;
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

export class CaseState extends Construct {
  /** Encrypts the table, the queues, the secret and the ops topic: one key policy to audit. */
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly queues: ReadonlyMap<QueueName, CaseQueue>;
  /**
   * The table-stream event sources' on-failure queues (`caseChangeFailures`): not work queues, nothing
   * consumes them; Lambda describes there each batch of stream records it gave up on, for an operator.
   */
  readonly streamFailureQueues: ReadonlyMap<StreamFailureQueueName, sqs.Queue>;
  /** HMAC key for hashing contact details and deriving case tokens. */
  readonly hmacSecret: secretsmanager.Secret;
  readonly opsTopic: sns.Topic;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly emailConfigurationSet: ses.ConfigurationSet;
  /** The operator service policy (AppConfig). */
  readonly servicePolicy: ServicePolicyConfig;
  /** Email and SMS in (issue 16): the raw-mail bucket, the receipt rule and the two inbound topics. */
  readonly inbound?: InboundChannels;
  /** The buckets of shared/storage-buckets.ts (attachments), on the same key. */
  readonly buckets: CaseBuckets;

  constructor(scope: Construct, id: string, props: CaseStateProps) {
    super(scope, id);
    const { settings } = props;
    const retain = settings.removalPolicy === RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'DataKey', {
      description: `Parcel Care ${settings.stage}: cases, queues, HMAC secret and ops topic`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
      pendingWindow: Duration.days(retain ? 30 : 7),
    });

    this.table = new dynamodb.Table(this, 'CaseTable', {
      partitionKey: keyAttribute(caseTable.partitionKey),
      sortKey: keyAttribute(caseTable.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Protection would make `removalPolicy: destroy` fail at delete time, so it follows the policy.
      deletionProtection: retain,
      timeToLiveAttribute: caseTable.timeToLiveAttribute,
      // New images, for CaseChangeCompleter (the catalogue's tableStream trigger).
      stream: dynamodb.StreamViewType[caseTable.stream],
      removalPolicy: settings.removalPolicy,
    });
    for (const index of Object.values<IndexDefinition>(caseTable.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: keyAttribute(index.partitionKey),
        sortKey: keyAttribute(index.sortKey),
        ...projection(index.projection),
      });
    }

    // Every queue: encrypted with the stack's key, TLS only. Reusing a data key for an hour saves KMS
    // calls on busy queues; five minutes is the default, an hour is still short-lived.
    const encrypted = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      removalPolicy: settings.removalPolicy,
    };
    const queues = new Map<QueueName, CaseQueue>();
    for (const definition of props.queues) {
      const id = pascalCase(definition.name);
      const deadLetterQueue = new sqs.Queue(this, `${id}DeadLetterQueue`, {
        ...encrypted,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, `${id}Queue`, {
        ...encrypted,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(definition.name, props.functions)),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      queues.set(definition.name, { definition, queue, deadLetterQueue });
    }
    this.queues = queues;

    const streamFailureQueues = new Map<StreamFailureQueueName, sqs.Queue>();
    for (const { trigger } of props.functions) {
      if (trigger.kind !== 'tableStream' || streamFailureQueues.has(trigger.onFailure)) continue;
      const failures = new sqs.Queue(this, `${pascalCase(trigger.onFailure)}Queue`, {
        ...encrypted,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(failures).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter destination: the on-failure destination of the table stream event ' +
          'source, where Lambda describes the batches it gave up on. Nothing consumes it (operators read it and ' +
          'the alarm fires on its first message), so there is nothing to redrive it to.',
      });
      streamFailureQueues.set(trigger.onFailure, failures);
    }
    this.streamFailureQueues = streamFailureQueues;
    this.buckets = new CaseBuckets(this, 'Buckets', {
      settings,
      key: this.key,
      queue: (name) => {
        const found = queues.get(name);
        if (!found) throw new Error(`A bucket notifies the queue ${name}, which the stack does not have`);
        return found.queue;
      },
    });

    this.hmacSecret = new secretsmanager.Secret(this, 'HmacSecret', {
      description: `Parcel Care ${settings.stage}: HMAC key for contact hashes and case tokens`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.hmacSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key derives every issued case token and every stored contact hash; rotating it would ' +
        'invalidate the links customers already hold and orphan the hashes, so it is rotated only by a ' +
        'planned re-keying, not on a schedule.',
    });

    this.opsTopic = new sns.Topic(this, 'OpsTopic', {
      displayName: `Parcel Care ${settings.stage} operations`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // CloudWatch alarms publish to the topic, so they must be able to use its key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheOpsTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (settings.alarmEmail) {
      this.opsTopic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    }

    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      userPoolName: `parcel-care-${settings.stage}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      // The teams a member works in, comma-separated (`branch,service`): the ID token carries it as
      // `custom:team`, and it decides whose contact details an agent sees in clear. Only administrators
      // set it: no app client may write it (staff-sign-in.ts).
      customAttributes: { team: new cognito.StringAttribute({ mutable: true, minLen: 0, maxLen: 256 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Every sign-in needs a TOTP app's code (enrolled at the first sign-in); never SMS or email codes.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: retain,
      removalPolicy: settings.removalPolicy,
    });
    for (const group of staffRoles) {
      this.userPool.addGroup(`${pascalCase(group)}Group`, { groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('StaffClient', {
      userPoolClientName: `parcel-care-${settings.stage}-staff-tools`,
      generateSecret: false,
      // SRP only (and refresh): the password never travels. No OAuth: the tools sign in through the API,
      // the workspace has its own client with the code grant (case-site.ts).
      authFlows: { userSrp: true },
      disableOAuth: true,
      writeAttributes: staffWritableAttributes,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    this.emailConfigurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `parcel-care-${settings.stage}`,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // SES publishes to the default bus only.
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    this.emailConfigurationSet.addEventDestination('BounceAndComplaintEvents', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    const emailEvents = queues.get('emailEvents');
    if (emailEvents) this.deliverEmailEvents(defaultBus, emailEvents.queue, settings);
    if (settings.createEmailIdentity) {
      new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.email(settings.senderEmail),
        configurationSet: this.emailConfigurationSet,
      });
    }
    this.servicePolicy = new ServicePolicyConfig(this, 'ServicePolicy', { stage: settings.stage });
    const inboundEmail = queues.get('inboundEmail');
    const inboundSms = queues.get('inboundSms');
    if (inboundEmail && inboundSms) {
      this.inbound = new InboundChannels(this, 'Inbound', {
        settings,
        key: this.key,
        inboundEmailQueue: inboundEmail.queue,
        inboundSmsQueue: inboundSms.queue,
      });
    }
  }

  /**
   * SES bounces and complaints for this configuration set, to the emailEvents queue. EventBridge may send to
   * the queue and use its key only for this one rule (`aws:SourceArn`). The rule is named, so its ARN is
   * known without referring to the rule: a reference would close a cycle (key policy → rule → queue → key),
   * which is why CDK's SqsQueue target trusts the account instead on an encrypted queue.
   */
  private deliverEmailEvents(bus: events.IEventBus, queue: sqs.Queue, settings: DeploymentSettings): void {
    const stack = Stack.of(this);
    const ruleName = `parcel-care-${settings.stage}-email-events`;
    const fromTheRule = {
      ArnEquals: {
        'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName }),
      },
    };
    const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EmailEventsRuleSendsBouncesAndComplaints',
        principals: [eventBridge],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: fromTheRule,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EmailEventsRuleEncryptsForTheQueue',
        principals: [eventBridge],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromTheRule,
      }),
    );
    new events.Rule(this, 'EmailBounceAndComplaintRule', {
      ruleName,
      description: 'SES bounces and complaints for this configuration set, to the emailEvents queue',
      eventBus: bus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received'],
        detail: {
          mail: { tags: { 'ses:configuration-set': [this.emailConfigurationSet.configurationSetName] } },
        },
      },
      // Not CDK's SqsQueue target, whose grant on an encrypted queue is by account only (see above).
      targets: [
        {
          bind: () => ({
            arn: queue.queueArn,
            targetResource: queue,
            retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: Duration.hours(6).toSeconds() },
          }),
        },
      ],
    });
  }

  streamFailureQueue(name: StreamFailureQueueName): sqs.Queue {
    const found = this.streamFailureQueues.get(name);
    if (!found) throw new Error(`No table-stream trigger of the deployed functions names ${name}`);
    return found;
  }

  queue(name: QueueName): CaseQueue {
    const found = this.queues.get(name);
    if (!found) throw new Error(`The catalogue declares no queue named ${name}`);
    return found;
  }
}

function keyAttribute(attribute: KeyAttribute): dynamodb.Attribute {
  return {
    name: attribute.name,
    type: attribute.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
  };
}

function projection(
  value: IndexDefinition['projection'],
): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  if (value === 'all') return { projectionType: dynamodb.ProjectionType.ALL };
  if (value === 'keys_only') return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
  return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...value] };
}
