// The buckets of shared/storage-buckets.ts: encrypted with the project's key, private (public access
// blocked, TLS only), access-logged, and announcing new objects on their queue (S3 event notifications).
// Customers' browsers upload into the attachments bucket with presigned POSTs, so it answers CORS for the
// site's origin.
import {
  Aws,
  type CfnElement,
  Duration,
  aws_iam as iam,
  type aws_kms as kms,
  Stack,
  aws_s3 as s3,
  type aws_sqs as sqs,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type BucketDefinition, type BucketName, buckets as catalogueBuckets } from '#shared/storage-buckets';
import type { QueueName } from '#shared/work-queues';
import type { DeploymentSettings } from './deployment-settings.ts';
import { pascalCase } from './names.ts';

export interface CaseBucketsProps {
  settings: DeploymentSettings;
  key: kms.IKey;
  /** The queue a bucket's notifications go to. */
  queue: (name: QueueName) => sqs.IQueue;
  definitions?: readonly BucketDefinition[];
}

/** Objects of these prefixes are the only ones functions read and write. */
const objectPrefix: Record<BucketName, string> = { attachments: 'cases/' };

export class CaseBuckets extends Construct {
  readonly buckets: ReadonlyMap<BucketName, s3.Bucket>;
  readonly logBucket: s3.Bucket;
  readonly #names = new Map<BucketName, string>();

  constructor(scope: Construct, id: string, props: CaseBucketsProps) {
    super(scope, id);
    const { settings } = props;
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Server access logs cannot be delivered to a bucket encrypted with a KMS key.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the access logs of the data buckets; logging its own access would log the logging.',
    });

    const buckets = new Map<BucketName, s3.Bucket>();
    for (const definition of props.definitions ?? catalogueBuckets) {
      // Named, so the key and queue policies can name it without referring to it (which would be a cycle:
      // the bucket refers to the key it is encrypted with).
      const bucketName = `pc-${settings.stage}-${definition.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
      const bucket = new s3.Bucket(this, pascalCase(definition.name), {
        bucketName,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        // One data key per bucket for a while instead of a KMS call per object.
        bucketKeyEnabled: true,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: this.logBucket,
        serverAccessLogsPrefix: `${definition.name}/`,
        // Not versioned: a file deleted with its case (the personal-data lifecycle) must be gone.
        lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
        removalPolicy: settings.removalPolicy,
        autoDeleteObjects: false,
      });
      if (definition.notify) {
        const queue = props.queue(definition.notify.queue);
        bucket.addEventNotification(
          s3.EventType.OBJECT_CREATED,
          this.notificationsTo(queue, props.key, `arn:${Aws.PARTITION}:s3:::${bucketName}`),
          { prefix: definition.notify.prefix },
        );
      }
      buckets.set(definition.name, bucket);
      this.#names.set(definition.name, bucketName);
    }
    this.buckets = buckets;
    this.acknowledgeNotificationsHandler();
  }

  /**
   * S3 may send to the queue, and use the key the queue is encrypted with, for this bucket only (what
   * SqsDestination grants, but naming the bucket by its ARN string instead of referring to the bucket).
   */
  private notificationsTo(
    queue: sqs.IQueue,
    key: kms.IKey,
    bucketArn: string,
  ): s3.IBucketNotificationDestination {
    const s3Service = new iam.ServicePrincipal('s3.amazonaws.com');
    const conditions = {
      ArnLike: { 'aws:SourceArn': bucketArn },
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    };
    const { policyDependable } = queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3NotificationsOfTheBucket',
        principals: [s3Service],
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [queue.queueArn],
        conditions,
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3NotificationsToEncryptedQueues',
        principals: [s3Service],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions,
      }),
    );
    return {
      bind: () => ({
        type: s3.BucketNotificationDestinationType.QUEUE,
        arn: queue.queueArn,
        ...(policyDependable ? { dependencies: [policyDependable] } : {}),
      }),
    };
  }

  /**
   * The bucket's regional endpoint as the browser reaches it (where presigned POSTs and GETs point), built
   * from its name: the pages' CSP names it, and the bucket's CORS names the pages, so neither may refer to
   * the other's resource.
   */
  regionalOrigin(name: BucketName): string {
    return `https://${this.#names.get(name)}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }

  /** Browsers on these origins may POST uploads and GET files (presigned) from the attachments bucket. */
  allowBrowsersFrom(origins: readonly string[]): void {
    this.buckets.get('attachments')?.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      allowedOrigins: [...origins],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    });
  }

  /** Reading (and with `readWrite` storing and deleting) the objects of a bucket's prefix, with its key. */
  grant(role: iam.IRole, name: BucketName, level: 'read' | 'readWrite'): void {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new Error(`No bucket ${name}`);
    const objects = bucket.arnForObjects(`${objectPrefix[name]}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: `${pascalCase(name)}Objects`,
        actions: level === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [objects],
      }),
    );
    if (level === 'readWrite') {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${pascalCase(name)}List`,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${objectPrefix[name]}*`] } },
        }),
      );
    }
    const key = bucket.encryptionKey;
    if (key) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${pascalCase(name)}Key`,
          actions: level === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnElement)) as string;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${objectPrefix[name]}*]`,
      reason:
        'Each file has a key of its own under the prefix (the case and the attachment id), so the grant covers ' +
        'the prefix of this one bucket; nothing else of the bucket.',
    });
  }

  /** S3 notifications are configured by CDK's own singleton function; what cdk-nag finds there, and why. */
  private acknowledgeNotificationsHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (!handler) return;
    const role = handler.node.tryFindChild('Role');
    Validations.of(role ?? handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK’s bucket-notifications handler writes its own logs with the basic execution role; it runs only during deploys.',
    });
    Validations.of(role ?? handler).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CDK’s bucket-notifications handler sets PutBucketNotification on buckets whose names it learns at deploy time; it runs only during deploys.',
    });
  }
}
