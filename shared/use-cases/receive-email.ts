// Mail to the service address (issue 16). A new message opens a case (channel email, category inferred,
// acknowledged by email); a reply to a case email joins that case as a customer message. Auto-replies,
// bounces, spam, viruses, suppressed senders and senders over the limits open nothing and get no answer,
// so no mail loop can form; each is counted in `InboundMessageIgnored`.
import { createHash } from 'node:crypto';
import * as customerActions from '#domain/case/customer-actions';
import { canApply } from '#domain/case-status';
import { RateLimited, ValidationFailed } from '#domain/errors';
import {
  caseIdsIn,
  clipText,
  type IgnoredEmailReason,
  type InboundEmail,
  ignoredEmailReason,
  inboundCaseType,
  localeOf,
  parseReplyAddress,
  sameTag,
  stripQuotedReply,
  subjectFor,
  trackingNumberIn,
} from '#domain/inbound-messages';
import { takeLimits } from './abuse-limits.ts';
import { storeEmailAttachment } from './attachments.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';
import { submitCase } from './submit-case.ts';

export type InboundOutcome =
  | { outcome: 'opened'; caseId: string; replayed?: true }
  | { outcome: 'added'; caseId: string }
  | { outcome: 'opted_out' }
  | { outcome: 'ignored'; reason: IgnoredReason };

export type IgnoredReason = IgnoredEmailReason | 'suppressed' | 'rate_limited' | 'empty' | 'not_allowed';

/** Where SES stored the message, and what its receipt said. */
export interface StoredInboundEmail {
  bucket: string;
  key: string;
  recipients: readonly string[];
  verdicts?: InboundEmail['verdicts'];
}

const descriptionLimit = 5000;

export async function receiveStoredEmail(stored: StoredInboundEmail, deps: Dependencies) {
  const mail = await deps.inboundMail.read({ bucket: stored.bucket, key: stored.key });
  const received = {
    ...mail,
    recipients: [...new Set([...mail.recipients, ...stored.recipients])],
    ...(stored.verdicts ? { verdicts: stored.verdicts } : {}),
  };
  const outcome = await receiveEmail(received, deps);
  if ((outcome.outcome === 'opened' && !outcome.replayed) || outcome.outcome === 'added') {
    await attachFiles(outcome.caseId, received, deps);
  }
  return outcome;
}

/**
 * The email's files, stored like uploads (same types, sizes and count per case); one that does not
 * qualify is left out and the email still counts.
 */
async function attachFiles(caseId: string, mail: InboundEmail, deps: Dependencies): Promise<void> {
  for (const file of mail.attachments ?? []) {
    const result = await storeEmailAttachment(
      { caseId, fileName: file.fileName, contentType: file.contentType, bytes: file.content },
      deps,
    );
    if (!result.stored) {
      deps.logger.info('Email attachment not stored', { caseId, reason: result.reason });
      deps.metrics.count('InboundAttachmentRefused', { reason: result.reason });
    }
  }
}

export async function receiveEmail(mail: InboundEmail, deps: Dependencies): Promise<InboundOutcome> {
  const refused = ignoredEmailReason(mail);
  if (refused) return ignored('email', refused, deps);
  const sender = mail.from.address.trim().toLowerCase();
  const senderHash = deps.keyring.hashContact(sender);
  if (await deps.contacts.getSuppression(senderHash)) return ignored('email', 'suppressed', deps);

  const text = stripQuotedReply(mail.text);
  const now = deps.clock.now();
  const replyTo = await openCaseRepliedTo(mail, deps);
  if (replyTo) {
    if (!text) return ignored('email', 'empty', deps);
    const spent = await takeLimits(deps, now, [
      { limit: 'source_per_minute', scope: `email:${senderHash}` },
      { limit: 'case_messages_per_day', scope: replyTo },
    ]);
    if (spent) return ignored('email', 'rate_limited', deps);
    await changeCase(replyTo, deps, (supportCase, at) =>
      customerActions.addCustomerMessage(supportCase, {
        at,
        message: clipText(text, descriptionLimit),
        channel: 'email',
      }),
    );
    deps.metrics.count('InboundMessage', { channel: 'email', outcome: 'added' });
    deps.logger.info('Email reply added to its case', { caseId: replyTo });
    return { outcome: 'added', caseId: replyTo };
  }

  const spent = await takeLimits(deps, now, [
    { limit: 'recipient_cases_per_hour', scope: `email:${senderHash}` },
    { limit: 'recipient_cases_per_day', scope: `email:${senderHash}` },
  ]);
  if (spent) return ignored('email', 'rate_limited', deps);
  const locale = localeOf(`${mail.subject}\n${text}`);
  const subject = subjectFor(mail.subject, text, locale);
  const description = clipText(text || subject, descriptionLimit);
  const trackingNumber = trackingNumberIn(`${mail.subject}\n${text}`);
  const submission = {
    type: inboundCaseType(subject, description),
    channel: 'email' as const,
    subject,
    description,
    ...(trackingNumber ? { trackingNumber } : {}),
    customer: {
      name: clipText(mail.from.name?.trim() || sender.split('@')[0] || sender, 100),
      email: sender,
      type: 'individual' as const,
      locale,
    },
  };
  return openCase(submission, mail.messageId, `email:${senderHash}`, 'email', deps);
}

/**
 * The open case a reply belongs to: a recipient is that case's signed reply address and the subject names
 * the same case number. Never the subject alone, which anyone can write. A reply to a case that is no
 * longer open opens a new case, as a follow-up (what Zendesk does with replies to closed tickets).
 */
async function openCaseRepliedTo(mail: InboundEmail, deps: Dependencies): Promise<string | null> {
  const serviceAddress = deps.inboundEmailAddress;
  if (!serviceAddress) return null;
  const named = caseIdsIn(mail.subject);
  for (const recipient of mail.recipients) {
    const address = parseReplyAddress(serviceAddress, recipient);
    if (!address || !named.includes(address.caseId)) continue;
    if (!sameTag(address.tag, deps.keyring.replyTag(address.caseId))) continue;
    const supportCase = await deps.cases.getCase(address.caseId);
    if (supportCase && canApply(supportCase.status, 'customer_replied')) return supportCase.caseId;
  }
  return null;
}

/** A new case from an inbound message; the provider's message id makes a redelivery open nothing twice. */
export async function openCase(
  submission: Parameters<typeof submitCase>[0],
  messageId: string | undefined,
  source: string,
  channel: 'email' | 'sms',
  deps: Dependencies,
): Promise<InboundOutcome> {
  try {
    const { result, replayed } = await submitCase(
      submission,
      {
        rawBody: { channel, messageId: messageId ?? null, source },
        ...(messageId ? { idempotencyKey: createHash('sha256').update(messageId).digest('base64url') } : {}),
        source,
      },
      deps,
    );
    // A redelivered message finds the case it opened before (the idempotency record) and does nothing more.
    if (replayed) return { outcome: 'opened', caseId: result.caseId, replayed: true };
    deps.metrics.count('InboundMessage', { channel, outcome: 'opened' });
    deps.logger.info('Inbound message opened a case', { caseId: result.caseId, channel });
    return { outcome: 'opened', caseId: result.caseId };
  } catch (error) {
    if (error instanceof RateLimited) return ignored(channel, 'rate_limited', deps);
    if (error instanceof ValidationFailed) return ignored(channel, 'not_allowed', deps);
    throw error;
  }
}

export function ignored(
  channel: 'email' | 'sms',
  reason: IgnoredReason,
  deps: Pick<Dependencies, 'metrics' | 'logger'>,
): InboundOutcome {
  deps.metrics.count('InboundMessageIgnored', { channel, reason });
  deps.logger.info('Inbound message ignored', { channel, reason });
  return { outcome: 'ignored', reason };
}
