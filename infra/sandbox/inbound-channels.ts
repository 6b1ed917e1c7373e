// Channels in, on one machine (issue 16). An SMTP server on SMTP_PORT takes mail for any recipient (the
// sandbox's service domain is every domain) and does what SES receiving does in AWS: stores the raw
// message in S3 and puts SES's receipt notification, in SNS's envelope, on the inboundEmail queue.
// `POST /_sandbox/sms/inbound { from, body }` puts End User Messaging SMS's two-way message, in SNS's
// envelope, on the inboundSms queue. The consumers cannot tell the sandbox from AWS.
import { randomUUID } from 'node:crypto';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SMTPServer } from 'smtp-server';
import * as z from 'zod';
import type { SandboxRouteResult } from './http-gateway.ts';

export interface InboundChannelsOptions {
  smtpPort: number;
  host: string;
  sqs: SQSClient;
  emailQueueUrl: string;
  smsQueueUrl: string;
  s3: S3Client;
  bucket: string;
  region: string;
  account: string;
  onError(error: unknown): void;
  /** The sandbox routes' error in API.md's shape. */
  routeError(
    status: number,
    code: string,
    message: string,
    details?: Array<{ path: string; message: string }>,
  ): SandboxRouteResult;
}

export interface RunningInboundChannels {
  smtpPort: number;
  /** `POST /_sandbox/sms/inbound`. */
  smsRoute(method: string, body: string): Promise<SandboxRouteResult>;
  stop(): Promise<void>;
}

/** What SES accepts (40 MB); a larger message is refused at DATA, as SES bounces it. */
const maxMessageBytes = 40 * 1024 * 1024;
/** The carrier number texts go to, as End User Messaging SMS reports it. */
const sandboxCarrierNumber = '+8610690000';

export const inboundSmsRequestSchema = z.strictObject({
  from: z.string().trim().min(3).max(40),
  body: z.string().max(1600),
});

export async function startInboundChannels(options: InboundChannelsOptions): Promise<RunningInboundChannels> {
  try {
    await options.s3.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
  }
  const topicArn = (name: string) => `arn:aws:sns:${options.region}:${options.account}:parcel-care-${name}`;
  const publish = (queueUrl: string, topic: string, message: object) =>
    options.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(snsEnvelope(topicArn(topic), message)),
      }),
    );

  const receiveMail = async (raw: Buffer, recipients: string[], source: string) => {
    const messageId = randomUUID().replaceAll('-', '');
    const objectKey = `inbound/${messageId}`;
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: objectKey,
        Body: raw,
        ContentType: 'message/rfc822',
      }),
    );
    const now = new Date().toISOString();
    await publish(options.emailQueueUrl, 'inbound-email', {
      notificationType: 'Received',
      mail: { timestamp: now, source, messageId, destination: recipients },
      // The sandbox scans nothing: no verdicts, which the consumer reads as PASS.
      receipt: {
        timestamp: now,
        recipients,
        action: {
          type: 'S3',
          topicArn: topicArn('inbound-email'),
          bucketName: options.bucket,
          objectKeyPrefix: 'inbound/',
          objectKey,
        },
      },
    });
  };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    banner: 'Parcel Care sandbox: mail here is received as SES receives it',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        receiveMail(Buffer.concat(chunks), recipients, from).then(
          () => callback(),
          (error: unknown) => {
            options.onError(error);
            callback(Object.assign(new Error('Temporary failure, try again'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort, options.host, () => resolve());
  });
  const address = smtp.server.address();
  const smtpPort = typeof address === 'object' && address ? address.port : options.smtpPort;

  return {
    smtpPort,
    async smsRoute(method, body) {
      const { routeError } = options;
      if (method !== 'POST') return routeError(405, 'method_not_allowed', 'POST { "from", "body" }');
      let parsed: ReturnType<typeof inboundSmsRequestSchema.safeParse>;
      try {
        parsed = inboundSmsRequestSchema.safeParse(JSON.parse(body || '{}'));
      } catch {
        return routeError(400, 'invalid_json', 'The body is not valid JSON');
      }
      if (!parsed.success) {
        return routeError(400, 'validation_error', 'Send { "from": "+86…", "body": "…" }', [
          ...parsed.error.issues.map((issue) => ({
            path: issue.path.join('.') || '(body)',
            message: issue.message,
          })),
        ]);
      }
      const inboundMessageId = randomUUID();
      await publish(options.smsQueueUrl, 'inbound-sms', {
        originationNumber: parsed.data.from,
        destinationNumber: sandboxCarrierNumber,
        messageKeyword: 'KEYWORD_SANDBOX',
        messageBody: parsed.data.body,
        inboundMessageId,
      });
      return { status: 202, body: { inboundMessageId } };
    },
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** SNS's envelope around a message, as an SQS subscription without raw delivery receives it. */
export function snsEnvelope(topicArn: string, message: object) {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    Timestamp: new Date().toISOString(),
    Message: JSON.stringify(message),
    SignatureVersion: '1',
    Signature: 'sandbox',
    SigningCertURL: 'https://sns.amazonaws.com/sandbox.pem',
    UnsubscribeURL: 'https://sns.amazonaws.com/sandbox-unsubscribe',
  };
}
