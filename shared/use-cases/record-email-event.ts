// The mail provider reported a bounce or a complaint: suppress the address, so no later email goes
// there (the notification consumer checks the list before every send), and note it on the case the
// email was for.
// Only permanent bounces and complaints suppress; a transient bounce may well go through next time.
import type { EmailFeedback } from '#domain/email-feedback';
import type { TimelineEntry } from '#domain/support-case';
import type { Dependencies } from './ports.ts';

export interface EmailEventOutcome {
  /** Addresses newly put on the suppression list (a redelivered event suppresses nothing new). */
  suppressed: number;
  recordedOnCase: boolean;
}

export async function recordEmailEvent(
  feedback: EmailFeedback,
  deps: Pick<Dependencies, 'cases' | 'contacts' | 'keyring' | 'clock' | 'logger'>,
): Promise<EmailEventOutcome> {
  const { caseId } = feedback;
  if (feedback.kind === 'bounce' && !feedback.permanent) {
    deps.logger.info('Transient bounce: the address stays in use', {
      caseId,
      bounceType: feedback.bounceType,
      bounceSubType: feedback.bounceSubType,
    });
    return { suppressed: 0, recordedOnCase: false };
  }

  const reason = feedback.kind;
  const at = feedback.reportedAt ?? deps.clock.now().toISOString();

  let suppressed = 0;
  for (const address of feedback.recipients) {
    const added = await deps.contacts.suppressContact(deps.keyring.hashContact(address), {
      reason,
      at,
      channel: 'email',
      ...(caseId ? { caseId } : {}),
    });
    if (added) suppressed += 1;
  }

  let recordedOnCase = false;
  if (caseId && (await deps.cases.getCase(caseId))) {
    const kind = feedback.kind === 'bounce' ? 'email_bounced' : 'email_complaint';
    const entry: TimelineEntry = {
      // One entry per report, however often the event is delivered.
      entryId: `${at}#${kind}#${feedback.feedbackId}`,
      at,
      kind,
      actor: 'system',
      message:
        feedback.kind === 'bounce'
          ? `Email bounced (${feedback.bounceType}/${feedback.bounceSubType}); no more email goes to this address`
          : 'The recipient reported the email as unwanted; no more email goes to this address',
      internal: true,
      data: {
        reason,
        notificationId: feedback.notificationId,
        providerMessageId: feedback.providerMessageId,
        feedbackId: feedback.feedbackId,
        ...(feedback.kind === 'bounce'
          ? { bounceType: feedback.bounceType, bounceSubType: feedback.bounceSubType }
          : { complaintFeedbackType: feedback.complaintFeedbackType }),
      },
    };
    await deps.cases.addTimelineEntry(caseId, entry);
    recordedOnCase = true;
  }
  deps.logger.info('Email address suppressed', { caseId, reason, suppressed, recordedOnCase });
  return { suppressed, recordedOnCase };
}
