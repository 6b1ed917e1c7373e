// Channels in (issue 16): email through SES receiving and SMS through End User Messaging SMS two-way
// messaging, each landing on its catalogue queue (inboundEmail, inboundSms) through an SNS topic.
//
// Email: a receipt rule for the service domain stores the raw message in an encrypted S3 bucket (the S3
// action) and has SES notify a topic once it is stored; the topic feeds the inboundEmail queue. The S3
// action's notification was chosen over an S3 event notification because it carries SES's receipt
// (spam and virus verdicts, envelope recipients) next to the object key: an S3 event names only the
// object, and the verdicts would have to be read back from headers inside the message, where a sender
// could forge them.
//
// One receipt rule set is active per account and region. With context `inboundReceiptRuleSetName` the
// rule joins that (existing, active) set; without it the stack creates `parcel-care-<stage>-inbound`,
// which receives nothing until an operator activates it (`aws ses set-active-receipt-rule-set`), as
// activating it from the stack would silently switch off whatever set the account uses today.
import {
  Duration,
  aws_iam as iam,
  type aws_kms as kms,
  RemovalPolicy,
  Stack,
  aws_s3 as s3,
  aws_ses as ses,
  aws_ses_actions as sesActions,
  aws_sns as sns,
  type aws_sqs as sqs,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings.ts';

export interface InboundChannelsProps {
  settings: DeploymentSettings;
  key: kms.Key;
  inboundEmailQueue: sqs.IQueue;
  inboundSmsQueue: sqs.IQueue;
}

/** The local part of the service address: mail to `care@<inboundEmailDomain>` opens cases. */
export const serviceLocalPart = 'care';
/** Raw mail is personal data kept only until the consumer has read it; a month covers every retry. */
const rawMailRetention = Duration.days(30);

export class InboundChannels extends Construct {
  readonly mailBucket: s3.Bucket;
  readonly emailTopic: sns.Topic;
  readonly smsTopic: sns.Topic;
  readonly receiptRule?: ses.ReceiptRule;
  /** The rule set this stack created (none when the rule joins an existing set). */
  readonly ruleSet?: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: InboundChannelsProps) {
    super(scope, id);
    const { settings, key } = props;
    const stack = Stack.of(this);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };

    this.mailBucket = new s3.Bucket(this, 'MailBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: rawMailRetention }],
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.mailBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only SES writes here (one object per received message) and only the inbound email consumer reads; ' +
        'both are recorded by CloudTrail, and objects expire after 30 days, so access logs would add a ' +
        'second copy of who-touched-what without adding a reader to audit.',
    });

    // SES and End User Messaging SMS publish to encrypted topics and SES writes to an SSE-KMS bucket:
    // both need data keys from the one key, for this account's resources only.
    // SNS, delivering to the encrypted queues. By account rather than by topic ARN (as SqsSubscription
    // would add it): the topics are encrypted with this key, and a key policy naming them is a cycle.
    for (const service of ['ses.amazonaws.com', 'sms-voice.amazonaws.com', 'sns.amazonaws.com']) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Allow${service.split('.')[0]!.replace(/-/g, '')}ToEncryptInboundMessages`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: sameAccount,
        }),
      );
    }

    this.emailTopic = this.topic('EmailTopic', `Parcel Care ${settings.stage}: mail received`, key);
    this.emailTopic.addToResourcePolicy(publishBy('ses.amazonaws.com', this.emailTopic, stack.account));
    this.subscribe(this.emailTopic, props.inboundEmailQueue);

    this.smsTopic = this.topic('SmsTopic', `Parcel Care ${settings.stage}: texts received`, key);
    this.smsTopic.addToResourcePolicy(publishBy('sms-voice.amazonaws.com', this.smsTopic, stack.account));
    this.subscribe(this.smsTopic, props.inboundSmsQueue);

    if (!settings.inboundEmailDomain) return;
    const ruleSet = settings.inboundReceiptRuleSetName
      ? ses.ReceiptRuleSet.fromReceiptRuleSetName(this, 'RuleSet', settings.inboundReceiptRuleSetName)
      : new ses.ReceiptRuleSet(this, 'RuleSet', {
          receiptRuleSetName: `parcel-care-${settings.stage}-inbound`,
        });
    if (ruleSet instanceof ses.ReceiptRuleSet) this.ruleSet = ruleSet;
    this.receiptRule = ruleSet.addRule('ServiceAddressRule', {
      receiptRuleName: `parcel-care-${settings.stage}-service-address`,
      recipients: [settings.inboundEmailDomain],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [
        new sesActions.S3({ bucket: this.mailBucket, objectKeyPrefix: 'inbound/', topic: this.emailTopic }),
      ],
    });
    if (settings.removalPolicy === RemovalPolicy.DESTROY) {
      this.receiptRule.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
  }

  /** SNS → SQS in SNS's envelope (raw delivery off): the queue accepts this topic only. */
  private subscribe(topic: sns.Topic, queue: sqs.IQueue): void {
    new sns.Subscription(this, `${topic.node.id}Subscription`, {
      topic,
      protocol: sns.SubscriptionProtocol.SQS,
      endpoint: queue.queueArn,
      rawMessageDelivery: false,
    });
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `From${topic.node.id}`,
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
      }),
    );
  }

  private topic(id: string, displayName: string, key: kms.Key): sns.Topic {
    return new sns.Topic(this, id, { displayName, masterKey: key, enforceSSL: true });
  }
}

/** A service may publish to the topic on behalf of this account only. */
function publishBy(service: string, topic: sns.Topic, account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `Publish${service.split('.')[0]!.replace(/-/g, '')}`,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': account } },
  });
}
