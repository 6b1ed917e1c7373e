// The mail provider reported a bounce or a complaint: suppress the address, so no later email goes there (the
// notification consumer checks the list before every send), and note it on the case the email was for.
// Only permanent bounces and complaints suppress; a transient bounce may well go through next time.
import type { TimelineEntry } from '#domain/support-case';
import { mailTag, type SesEmailEvent } from '#events/email-events';
import type { Dependencies } from './ports.ts';

export interface EmailEventOutcome {
  /** Addresses newly put on the suppression list (a redelivered event suppresses nothing new). */
  suppressed: number;
  recordedOnCase: boolean;
}

export async function recordEmailEvent(
  event: SesEmailEvent,
  deps: Pick<Dependencies, 'cases' | 'contacts' | 'keyring' | 'clock' | 'logger'>,
): Promise<EmailEventOutcome> {
  const { detail } = event;
  const caseId = mailTag(event, 'caseId');
  if (detail.eventType === 'Bounce' && detail.bounce.bounceType !== 'Permanent') {
    deps.logger.info('Transient bounce: the address stays in use', {
      caseId,
      bounceType: detail.bounce.bounceType,
      bounceSubType: detail.bounce.bounceSubType,
    });
    return { suppressed: 0, recordedOnCase: false };
  }

  const report = detail.eventType === 'Bounce' ? detail.bounce : detail.complaint;
  const recipients =
    detail.eventType === 'Bounce' ? detail.bounce.bouncedRecipients : detail.complaint.complainedRecipients;
  const reason = detail.eventType === 'Bounce' ? 'bounce' : 'complaint';
  const at = isoOr(report.timestamp, deps.clock.now());

  let suppressed = 0;
  for (const { emailAddress } of recipients) {
    const added = await deps.contacts.suppressContact(deps.keyring.hashContact(bareAddress(emailAddress)), {
      reason,
      at,
      channel: 'email',
      ...(caseId ? { caseId } : {}),
    });
    if (added) suppressed += 1;
  }

  let recordedOnCase = false;
  if (caseId && (await deps.cases.getCase(caseId))) {
    const kind = detail.eventType === 'Bounce' ? 'email_bounced' : 'email_complaint';
    const entry: TimelineEntry = {
      // One entry per SES report, however often the event is delivered.
      entryId: `${at}#${kind}#${report.feedbackId}`,
      at,
      kind,
      actor: 'system',
      message:
        detail.eventType === 'Bounce'
          ? `Email bounced (${detail.bounce.bounceType}/${detail.bounce.bounceSubType}); no more email goes to this address`
          : 'The recipient reported the email as unwanted; no more email goes to this address',
      internal: true,
      data: {
        reason,
        notificationId: mailTag(event, 'notificationId'),
        providerMessageId: detail.mail.messageId,
        feedbackId: report.feedbackId,
        ...(detail.eventType === 'Bounce'
          ? { bounceType: detail.bounce.bounceType, bounceSubType: detail.bounce.bounceSubType }
          : { complaintFeedbackType: detail.complaint.complaintFeedbackType }),
      },
    };
    await deps.cases.addTimelineEntry(caseId, entry);
    recordedOnCase = true;
  }
  deps.logger.info('Email address suppressed', { caseId, reason, suppressed, recordedOnCase });
  return { suppressed, recordedOnCase };
}

/** `"Name" <a@b.example>` → `a@b.example`; SES usually gives the bare address already. */
function bareAddress(address: string): string {
  return (address.match(/<([^>]+)>/)?.[1] ?? address).trim();
}

function isoOr(timestamp: string, fallback: Date): string {
  const parsed = new Date(timestamp);
  return Number.isNaN(parsed.getTime()) ? fallback.toISOString() : parsed.toISOString();
}
