// SES bounce and complaint events as EventBridge delivers them to the emailEvents queue: the
// EventBridge envelope (source `aws.ses`) around SES's event record (`detail.eventType`, `detail.mail`,
// `detail.bounce` or `detail.complaint`). Fields we do not use are kept but not checked.

import type { EmailFeedback } from '#domain/email-feedback';
import * as z from '#shared/zod';

/** SES publishes every tag as a list of values: our own (`caseId`, `notificationId`) and its `ses:*` ones. */
const mailSchema = z.looseObject({
  timestamp: z.string(),
  messageId: z.string().check(z.minLength(1)),
  destination: z._default(z.array(z.string()), []),
  tags: z._default(z.record(z.string(), z.array(z.string())), {}),
});

const recipientSchema = z.looseObject({ emailAddress: z.string().check(z.minLength(3)) });

export const bounceTypes = ['Undetermined', 'Permanent', 'Transient'] as const;

const bounceDetailSchema = z.looseObject({
  eventType: z.literal('Bounce'),
  mail: mailSchema,
  bounce: z.looseObject({
    bounceType: z.enum(bounceTypes),
    bounceSubType: z.string(),
    bouncedRecipients: z.array(recipientSchema).check(z.minLength(1)),
    timestamp: z.string(),
    feedbackId: z.string().check(z.minLength(1)),
  }),
});

const complaintDetailSchema = z.looseObject({
  eventType: z.literal('Complaint'),
  mail: mailSchema,
  complaint: z.looseObject({
    complainedRecipients: z.array(recipientSchema).check(z.minLength(1)),
    timestamp: z.string(),
    feedbackId: z.string().check(z.minLength(1)),
    complaintFeedbackType: z.optional(z.string()),
  }),
});

export const sesEmailEventSchema = z.withMeta(
  z.object({
    version: z.string(),
    id: z.string().check(z.minLength(1)),
    'detail-type': z.enum(['Email Bounced', 'Email Complaint Received']),
    source: z.literal('aws.ses'),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    resources: z._default(z.array(z.string()), []),
    detail: z.discriminatedUnion('eventType', [bounceDetailSchema, complaintDetailSchema]),
  }),
  { id: 'SesEmailEvent' },
);

export type SesEmailEvent = z.infer<typeof sesEmailEventSchema>;
export type SesBounceDetail = z.infer<typeof bounceDetailSchema>;
export type SesComplaintDetail = z.infer<typeof complaintDetailSchema>;

/** The first value of one of the mail's tags. */
export function mailTag(event: SesEmailEvent, name: string): string | undefined {
  return event.detail.mail.tags[name]?.[0];
}

/** The SES event as the domain sees it: which addresses, which case, and what kind of report. */
export function emailFeedbackOf(event: SesEmailEvent): EmailFeedback {
  const { detail } = event;
  const report = detail.eventType === 'Bounce' ? detail.bounce : detail.complaint;
  const recipients =
    detail.eventType === 'Bounce' ? detail.bounce.bouncedRecipients : detail.complaint.complainedRecipients;
  const caseId = mailTag(event, 'caseId');
  const notificationId = mailTag(event, 'notificationId');
  const reportedAt = isoOrUndefined(report.timestamp);
  const common = {
    feedbackId: report.feedbackId,
    ...(reportedAt ? { reportedAt } : {}),
    recipients: recipients.map(({ emailAddress }) => bareAddress(emailAddress)),
    providerMessageId: detail.mail.messageId,
    ...(caseId ? { caseId } : {}),
    ...(notificationId ? { notificationId } : {}),
  };
  return detail.eventType === 'Bounce'
    ? {
        ...common,
        kind: 'bounce',
        permanent: detail.bounce.bounceType === 'Permanent',
        bounceType: detail.bounce.bounceType,
        bounceSubType: detail.bounce.bounceSubType,
      }
    : {
        ...common,
        kind: 'complaint',
        ...(detail.complaint.complaintFeedbackType
          ? { complaintFeedbackType: detail.complaint.complaintFeedbackType }
          : {}),
      };
}

/** `"Name" <a@b.example>` → `a@b.example`; SES usually gives the bare address already. */
function bareAddress(address: string): string {
  return (address.match(/<([^>]+)>/)?.[1] ?? address).trim();
}

function isoOrUndefined(timestamp: string): string | undefined {
  const parsed = new Date(timestamp);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}
