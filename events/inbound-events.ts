// Inbound email and SMS as they reach their queues (issue 16): an SNS notification (raw delivery off, so
// SQS holds SNS's JSON envelope) whose `Message` is, for email, SES's receipt notification of the S3
// action (where the raw message is stored, with the spam and virus verdicts) and, for SMS, End User
// Messaging SMS's two-way message. Fields we do not use are kept but not checked.
import * as z from 'zod';
import type { InboundSms } from '#domain/inbound-messages';

/** SNS's envelope around a JSON message, the message parsed and checked with `message`. */
export function snsEnvelopeOf<S extends z.ZodType>(message: S, id: string) {
  return z
    .object({
      Type: z.literal('Notification'),
      MessageId: z.string().min(1),
      TopicArn: z.string(),
      Timestamp: z.string(),
      Message: z
        .string()
        .transform((text, ctx) => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'The SNS message is not JSON' });
            return z.NEVER;
          }
        })
        .pipe(message),
    })
    .loose()
    .meta({ id });
}

const verdictSchema = z.object({ status: z.string() }).loose();

export const sesReceiptSchema = z
  .object({
    notificationType: z.literal('Received'),
    receipt: z
      .object({
        recipients: z.array(z.string()).default([]),
        spamVerdict: verdictSchema.optional(),
        virusVerdict: verdictSchema.optional(),
        action: z
          .object({ type: z.literal('S3'), bucketName: z.string().min(1), objectKey: z.string().min(1) })
          .loose(),
      })
      .loose(),
    mail: z.object({ messageId: z.string().min(1), source: z.string().optional() }).loose(),
  })
  .loose();

export const inboundEmailEventSchema = snsEnvelopeOf(sesReceiptSchema, 'InboundEmailEvent');
export type InboundEmailEvent = z.infer<typeof inboundEmailEventSchema>;

/** Where the raw message is, who it was for, and SES's verdicts. */
export function storedEmailOf(event: InboundEmailEvent) {
  const { receipt } = event.Message;
  return {
    bucket: receipt.action.bucketName,
    key: receipt.action.objectKey,
    recipients: receipt.recipients,
    verdicts: {
      ...(receipt.spamVerdict ? { spam: receipt.spamVerdict.status } : {}),
      ...(receipt.virusVerdict ? { virus: receipt.virusVerdict.status } : {}),
    },
  };
}

/** End User Messaging SMS two-way: what it publishes to the phone number's two-way SNS topic. */
export const twoWaySmsSchema = z
  .object({
    originationNumber: z.string().min(3),
    destinationNumber: z.string().optional(),
    messageKeyword: z.string().optional(),
    messageBody: z.string().max(5000),
    inboundMessageId: z.string().optional(),
  })
  .loose();

export const inboundSmsEventSchema = snsEnvelopeOf(twoWaySmsSchema, 'InboundSmsEvent');
export type InboundSmsEvent = z.infer<typeof inboundSmsEventSchema>;

export function inboundSmsOf(event: InboundSmsEvent): InboundSms {
  const sms = event.Message;
  return {
    from: sms.originationNumber,
    body: sms.messageBody,
    messageId: sms.inboundMessageId ?? event.MessageId,
  };
}
