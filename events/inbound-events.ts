// Inbound email and SMS as they reach their queues (issue 16): an SNS notification (raw delivery off, so
// SQS holds SNS's JSON envelope) whose `Message` is, for email, SES's receipt notification of the S3
// action (where the raw message is stored, with the spam and virus verdicts) and, for SMS, End User
// Messaging SMS's two-way message. Fields we do not use are kept but not checked.

import type { InboundSms } from '#domain/inbound-messages';
import * as z from '#shared/zod';

/** SNS's envelope around a JSON message, the message parsed and checked with `message`. */
export function snsEnvelopeOf<S extends z.ZodMiniType>(message: S, id: string) {
  return z.withMeta(
    z.looseObject({
      Type: z.literal('Notification'),
      MessageId: z.string().check(z.minLength(1)),
      TopicArn: z.string(),
      Timestamp: z.string(),
      Message: z.pipe(
        z.pipe(
          z.string(),
          z.transform((text, ctx) => {
            try {
              return JSON.parse(text) as unknown;
            } catch {
              ctx.issues.push({ code: 'custom', message: 'The SNS message is not JSON', input: ctx.value });
              return z.NEVER;
            }
          }),
        ),
        message,
      ),
    }),
    { id },
  );
}

const verdictSchema = z.looseObject({ status: z.string() });

export const sesReceiptSchema = z.looseObject({
  notificationType: z.literal('Received'),
  receipt: z.looseObject({
    recipients: z._default(z.array(z.string()), []),
    spamVerdict: z.optional(verdictSchema),
    virusVerdict: z.optional(verdictSchema),
    action: z.looseObject({
      type: z.literal('S3'),
      bucketName: z.string().check(z.minLength(1)),
      objectKey: z.string().check(z.minLength(1)),
    }),
  }),
  mail: z.looseObject({ messageId: z.string().check(z.minLength(1)), source: z.optional(z.string()) }),
});

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
export const twoWaySmsSchema = z.looseObject({
  originationNumber: z.string().check(z.minLength(3)),
  destinationNumber: z.optional(z.string()),
  messageKeyword: z.optional(z.string()),
  messageBody: z.string().check(z.maxLength(5000)),
  inboundMessageId: z.optional(z.string()),
});

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
