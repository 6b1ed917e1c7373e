// What a mail provider reports back about an email we sent: it bounced, or its recipient complained.
// The provider's own format is translated at the edge (events/email-events.ts for SES).

interface EmailFeedbackBase {
  /** The provider's id of the report; one report is one timeline entry, however often it arrives. */
  feedbackId: string;
  /** When the provider saw it (ISO); absent when the report's time is unreadable. */
  reportedAt?: string;
  /** Bare addresses (`a@b.example`). */
  recipients: string[];
  providerMessageId: string;
  /** The case and notification the email was for, as tagged when it was sent. */
  caseId?: string;
  notificationId?: string;
}

export type EmailFeedback =
  | (EmailFeedbackBase & {
      kind: 'bounce';
      /** Only a permanent bounce means the address will never take mail. */
      permanent: boolean;
      bounceType: string;
      bounceSubType: string;
    })
  | (EmailFeedbackBase & { kind: 'complaint'; complaintFeedbackType?: string });
