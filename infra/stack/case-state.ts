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
  aws_events_targets as targets,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { caseTable, type IndexDefinition, type KeyAttribute } from '#adapters/case-table';
import { staffRoles } from '#domain/staff-permissions';
import { type FunctionDefinition, visibilityTimeoutSeconds } from '#infra/catalogue';
import type { QueueDefinition, QueueName } from '#shared/work-queues';
import { CaseBuckets } from './case-buckets.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { pascalCase } from './names.ts';

export interface CaseStateProps {
  settings: DeploymentSettings;
  queues: readonly QueueDefinition[];
  /** Used only to size each queue's visibility timeout to its consumer. */
  functions: readonly FunctionDefinition[];
}

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
  /** HMAC key for hashing contact details and deriving case tokens. */
  readonly hmacSecret: secretsmanager.Secret;
  readonly opsTopic: sns.Topic;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly emailConfigurationSet: ses.ConfigurationSet;
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

    const queues = new Map<QueueName, CaseQueue>();
    for (const definition of props.queues) {
      const id = pascalCase(definition.name);
      const deadLetterQueue = new sqs.Queue(this, `${id}DeadLetterQueue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        // Saves KMS calls on busy queues; five minutes is the default, an hour is still short-lived.
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: settings.removalPolicy,
      });
      const queue = new sqs.Queue(this, `${id}Queue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(definition.name, props.functions)),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
        removalPolicy: settings.removalPolicy,
      });
      queues.set(definition.name, { definition, queue, deadLetterQueue });
    }
    this.queues = queues;
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
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: retain,
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional so staff can enrol a TOTP app after their first sign-in; threat protection in ' +
        'full-function mode (Plus plan) demands a second factor on risky sign-ins and blocks compromised credentials.',
    });
    for (const group of staffRoles) {
      this.userPool.addGroup(`${pascalCase(group)}Group`, { groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('StaffClient', {
      userPoolClientName: `parcel-care-${settings.stage}-staff-tools`,
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
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
    if (emailEvents) {
      new events.Rule(this, 'EmailBounceAndComplaintRule', {
        description: 'SES bounces and complaints for this configuration set, to the emailEvents queue',
        eventBus: defaultBus,
        eventPattern: {
          source: ['aws.ses'],
          detailType: ['Email Bounced', 'Email Complaint Received'],
          detail: {
            mail: { tags: { 'ses:configuration-set': [this.emailConfigurationSet.configurationSetName] } },
          },
        },
        // The target grants events.amazonaws.com send rights on the queue and use of its key.
        targets: [
          new targets.SqsQueue(emailEvents.queue, { retryAttempts: 8, maxEventAge: Duration.hours(6) }),
        ],
      });
    }
    if (settings.createEmailIdentity) {
      new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.email(settings.senderEmail),
        configurationSet: this.emailConfigurationSet,
      });
    }
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
