// Deliver one outbox notification, exactly once: claim it with a conditional write, check the
// suppression list, quiet hours and the survey rules, render, send, and mark it sent with its
// timeline entry. Each consumer sends on its own channel only: a notification of the other channel that
// reaches it is handed to its channel's queue, unclaimed.
import { replyAddressFor } from '#domain/inbound-messages';
import {
  type NotificationData,
  type NotificationLinks,
  renderEmail,
  renderSms,
  strangerCausable,
} from '#domain/notification-templates';
import { quietHoursHoldUntil } from '#domain/quiet-hours';
import { channelOfNotificationId, type SupportCase, type TimelineEntry } from '#domain/support-case';
import {
  feedbackAlreadyGiven,
  type SurveySkipReason,
  surveyRecordExpiresAt,
  surveyWindowStart,
} from '#domain/survey-policy';
import { notificationSentText } from '#domain/timeline-texts';
import type { LimitName } from '#shared/abuse-limits';
import { takeLimits } from './abuse-limits.ts';
import type { ChannelSender, Dependencies, MessageAttempt } from './ports.ts';
import { ConcurrentModification, SmsOptedOut, type StoredNotification } from './ports.ts';

/** What a delivery needs: the ports, with the one sender of the consumer's channel instead of both. */
export type DeliveryDependencies = Omit<Dependencies, 'mailer' | 'sms'> & { sender: ChannelSender };

export type DeliveryOutcome =
  | 'sent'
  | 'already_done'
  | 'held'
  | 'suppressed'
  | 'skipped'
  | 'not_due'
  | 'unknown'
  | 'requeued'
  | 'left_for_dispatch';

/** Another consumer holds the notification right now; the queue should try again later. */
export class NotificationBusy extends Error {
  override name = 'NotificationBusy';
}

/**
 * The stored notification is on another channel than its id names: no queue routes it to a sender of its
 * channel, so it goes to the dead-letter queue (and its alarm) rather than round and round.
 */
export class NotificationChannelMismatch extends Error {
  override name = 'NotificationChannelMismatch';
}

const settled = new Set<StoredNotification['status']>(['sent', 'suppressed', 'skipped']);

type OutcomeKind =
  | 'notification_sent'
  | 'notification_failed'
  | 'notification_suppressed'
  | 'notification_skipped';

export async function deliverNotification(
  message: { caseId: string; notificationId: string },
  attempt: MessageAttempt,
  deps: DeliveryDependencies,
): Promise<DeliveryOutcome> {
  const { caseId, notificationId } = message;
  // Its id names its channel: one of the other channel (misrouted, or redriven by hand to the wrong
  // queue) goes to its own queue before any claim, so the consumer that may send it finds it free.
  if (channelOfNotificationId(notificationId) !== deps.sender.channel) return handOn(message, deps);
  const now = deps.clock.now();
  // Claim first: one conditional write, no read, when the notification is due and free; the item is read
  // only when the claim is refused, to tell why.
  const claimed = await claim(message, attempt, now, deps);
  if (typeof claimed === 'string') return claimed;
  const notification = claimed;
  const complete = (
    status: 'suppressed' | 'skipped',
    kind: OutcomeKind,
    data: Record<string, unknown>,
  ): Promise<void> =>
    deps.outbox.completeNotification(
      caseId,
      notificationId,
      { status, at: now.toISOString() },
      timelineEntry(notification, now, kind, data),
    );

  const recipientHash = deps.keyring.hashContact(notification.recipient);
  // Both reads at once (the table adapter sends them as one call). The case is read eventually
  // consistently except for surveys: links need only the token nonce and contact hashes, which never
  // change after submission; a survey asks whether feedback was given, which a stale read could miss.
  const [suppression, supportCase] = await Promise.all([
    deps.contacts.getSuppression(recipientHash),
    notification.audience === 'customer'
      ? deps.cases.getCase(caseId, { consistent: notification.kind === 'survey' })
      : null,
  ]);
  if (suppression) {
    await complete('suppressed', 'notification_suppressed', { reason: suppression.reason });
    return 'suppressed';
  }

  if (notification.channel === 'sms') {
    const holdUntil = quietHoursHoldUntil(now, (await deps.policy.current()).quietHours);
    if (holdUntil) {
      // Back to pending with a later dispatchAt: the dispatch job queues it again at 08:00.
      await deps.outbox.releaseNotification(caseId, notificationId, {
        dispatchAt: holdUntil.toISOString(),
      });
      return 'held';
    }
  }

  const surveyHashes = [...new Set([...(supportCase?.contactHashes ?? []), recipientHash])];
  if (notification.kind === 'survey') {
    const skip = await surveySkipReason(notification, supportCase, surveyHashes, now, deps);
    if (skip) {
      await complete('skipped', 'notification_skipped', { reason: skip });
      return 'skipped';
    }
  }

  if (notification.audience === 'customer') {
    const spent = await takeLimits(deps, now, recipientCounters(notification, recipientHash));
    if (spent) {
      await complete('skipped', 'notification_skipped', { reason: 'rate_limited', limit: spent.limit });
      return 'skipped';
    }
  }

  let providerMessageId: string;
  try {
    providerMessageId = await send(notification, renderData(notification, supportCase, deps), deps);
  } catch (error) {
    if (error instanceof SmsOptedOut) {
      await deps.contacts.suppressContact(recipientHash, {
        reason: 'opted_out',
        at: now.toISOString(),
        channel: 'sms',
        caseId,
      });
      await complete('suppressed', 'notification_suppressed', { reason: 'opted_out' });
      return 'suppressed';
    }
    await giveBack(notification, attempt, error as Error, now, surveyHashes, deps);
    throw error;
  }
  // Outside the try: once the provider accepted the message, a failed bookkeeping write must not
  // release the claim, or the retry would send it a second time. The claim's lease stays instead.
  const sentAt = deps.clock.now();
  await deps.outbox.completeNotification(
    caseId,
    notificationId,
    { status: 'sent', at: sentAt.toISOString(), providerMessageId },
    timelineEntry(notification, sentAt, 'notification_sent', {}),
  );
  return 'sent';
}

/**
 * The abuse limits a customer message counts against. Only what a stranger can cause (the domain's
 * notificationCauses) counts against its recipient's message limits, and a new case's acknowledgement
 * also as one more case for that recipient; a reply, plan, resolution, survey or incident notice is
 * staff's or the system's act, so it neither spends a write nor a cap meant for strangers. Every SMS
 * counts against the month's SMS budget. A retry after a failed send was counted already.
 */
function recipientCounters(
  notification: StoredNotification,
  recipientHash: string,
): Array<{ limit: LimitName; scope: string }> {
  if (notification.lastError !== undefined) return [];
  return [
    ...(notification.kind === 'acknowledgement'
      ? [
          { limit: 'recipient_cases_per_hour' as const, scope: recipientHash },
          { limit: 'recipient_cases_per_day' as const, scope: recipientHash },
        ]
      : []),
    ...(strangerCausable(notification.kind)
      ? [
          { limit: 'recipient_messages_per_hour' as const, scope: recipientHash },
          { limit: 'recipient_messages_per_day' as const, scope: recipientHash },
        ]
      : []),
    ...(notification.channel === 'sms' ? [{ limit: 'sms_per_month' as const, scope: 'account' }] : []),
  ];
}

/** The claim, or why there is nothing to do: a refused claim is re-read to tell "done" from "busy". */
async function claim(
  message: { caseId: string; notificationId: string },
  attempt: MessageAttempt,
  now: Date,
  deps: DeliveryDependencies,
): Promise<StoredNotification | 'already_done' | 'not_due' | 'unknown' | 'left_for_dispatch'> {
  const { caseId, notificationId } = message;
  try {
    return await deps.outbox.claimNotification(
      caseId,
      notificationId,
      now,
      attempt.leaseMs,
      deps.sender.channel,
    );
  } catch (error) {
    if (!(error instanceof ConcurrentModification)) throw error;
    const current = await deps.outbox.getNotification(caseId, notificationId);
    if (!current) {
      deps.logger.warn('Notification not found', { caseId, notificationId });
      return 'unknown';
    }
    if (current && settled.has(current.status)) return 'already_done';
    if (current?.status === 'pending' && current.dispatchAt > now.toISOString()) return 'not_due';
    if (current.channel !== deps.sender.channel) {
      throw new NotificationChannelMismatch(`${notificationId} is stored as ${current.channel}`);
    }
    if (!attempt.finalAttempt) throw new NotificationBusy(`${notificationId} is being delivered`);
    // Held through every receive of this message: its sender most likely stopped before settling it (the
    // lease outlives the message's retries, so no retry of the sender's own message sends it twice). The
    // dispatch job takes it over: it queues it again until the lease has run out and a claim succeeds.
    await deps.outbox.leaveHeldForDispatch(caseId, notificationId);
    deps.metrics.count('NotificationLeftForDispatch', { channel: deps.sender.channel });
    deps.logger.warn('Notification still held by another sender; left for the dispatch job', {
      caseId,
      notificationId,
      leaseUntil: current.leaseUntil,
    });
    return 'left_for_dispatch';
  }
}

/**
 * At most one survey per customer per window, enforced by a conditional write on each of the
 * customer's contact hashes, so two surveys racing for the same customer cannot both go out.
 */
async function surveySkipReason(
  notification: StoredNotification,
  supportCase: SupportCase | null,
  contactHashes: readonly string[],
  now: Date,
  deps: DeliveryDependencies,
): Promise<SurveySkipReason | null> {
  if (feedbackAlreadyGiven(supportCase)) return 'feedback_given';
  const { survey } = await deps.policy.current();
  const reserved = await deps.contacts.reserveSurvey(contactHashes, {
    notificationId: notification.notificationId,
    caseId: notification.caseId,
    at: now.toISOString(),
    notBefore: surveyWindowStart(now, survey).toISOString(),
    expiresAt: surveyRecordExpiresAt(now, survey),
  });
  return reserved ? null : 'surveyed_recently';
}

async function send(
  notification: StoredNotification,
  data: NotificationData,
  deps: DeliveryDependencies,
): Promise<string> {
  const { kind, caseId, notificationId } = notification;
  const { sender } = deps;
  // The claim was taken on the sender's channel only, so the notification is on it.
  if (sender.channel === 'email') {
    // Replies to a customer's email come back to their case (issue 16), by its signed reply address.
    const replyTo =
      notification.audience === 'customer' && deps.inboundEmailAddress
        ? replyAddressFor(deps.inboundEmailAddress, caseId, deps.keyring.replyTag(caseId))
        : undefined;
    const sent = await sender.mailer.send({
      to: notification.recipient,
      ...renderEmail(kind, notification.locale, data),
      tags: { caseId, notificationId },
      ...(replyTo ? { replyTo } : {}),
    });
    return sent.messageId;
  }
  const sent = await sender.sms.send({
    to: notification.recipient,
    body: renderSms(kind, notification.locale, data),
    tags: { caseId, notificationId },
  });
  return sent.messageId;
}

/**
 * A notification of the other channel: queued again through the notifications publisher, which puts it on
 * its channel's queue by its id. Nothing is claimed or written, so that channel's consumer delivers it as it
 * would have (exactly once by the claim there); a duplicate of this message only queues a duplicate there.
 */
async function handOn(
  message: { caseId: string; notificationId: string },
  deps: DeliveryDependencies,
): Promise<'requeued'> {
  const { caseId, notificationId } = message;
  const channel = channelOfNotificationId(notificationId);
  await deps.queues.notifications.send([{ caseId, notificationId }]);
  deps.metrics.count('NotificationRequeuedToItsChannel', { channel });
  deps.logger.warn("A notification reached the other channel's consumer; queued to its own", {
    caseId,
    notificationId,
    channel,
    consumerChannel: deps.sender.channel,
  });
  return 'requeued';
}

/**
 * A failed send: back to pending for the queue's retry, or, on the last receive before the DLQ,
 * marked failed with `notification_failed` on the timeline. The send's error is what the queue sees.
 */
async function giveBack(
  notification: StoredNotification,
  attempt: MessageAttempt,
  error: Error,
  now: Date,
  surveyHashes: readonly string[],
  deps: DeliveryDependencies,
): Promise<void> {
  const { caseId, notificationId } = notification;
  const lastAttempt = attempt.finalAttempt;
  try {
    await deps.outbox.releaseNotification(
      caseId,
      notificationId,
      { error: error.name, failed: lastAttempt },
      lastAttempt
        ? timelineEntry(notification, now, 'notification_failed', { error: error.name })
        : undefined,
    );
    if (lastAttempt && notification.kind === 'survey') {
      await deps.contacts.releaseSurveyReservation(surveyHashes, notificationId);
    }
  } catch (releaseError) {
    // The claim's lease runs out on its own; the send's error still goes back to the queue.
    deps.logger.warn('Could not release the notification', {
      caseId,
      notificationId,
      error: (releaseError as Error).name,
    });
  }
}

/** Links carry the case token, which is derived at send time and never stored in the outbox. */
function renderData(
  notification: StoredNotification,
  supportCase: SupportCase | null,
  deps: DeliveryDependencies,
): NotificationData {
  const links: NotificationLinks & Pick<NotificationData, 'recipientName'> = {};
  if (notification.audience === 'customer') {
    // The name is read from the case at send time, not kept in the outbox; an anonymised case has none.
    if (supportCase?.customer.name) links.recipientName = supportCase.customer.name;
    if (supportCase?.tokenNonce) {
      const token = deps.keyring.caseToken(supportCase.caseId, supportCase.tokenNonce);
      links.caseLink = deps.links.customerCaseUrl(supportCase.caseId, token);
      if (notification.kind === 'survey')
        links.surveyLink = deps.links.customerCaseUrl(supportCase.caseId, token, { survey: true });
    }
  } else {
    links.caseLink = deps.links.agentCaseUrl(notification.caseId);
  }
  return { ...notification.data, ...links };
}

function timelineEntry(
  notification: StoredNotification,
  at: Date,
  kind: OutcomeKind,
  data: Record<string, unknown>,
): TimelineEntry {
  const iso = at.toISOString();
  return {
    // Deterministic per notification and outcome, so a retried write cannot add a second entry.
    entryId: `${iso}#${kind}#${notification.notificationId}`,
    at: iso,
    kind,
    actor: 'system',
    message:
      kind === 'notification_sent' && notification.audience === 'customer'
        ? notificationSentText(notification.locale, notification.kind, notification.channel)
        : `${notification.kind} by ${notification.channel}`,
    // The customer sees what reached them; why something did not (suppressed, skipped, failed) is for staff.
    internal: kind !== 'notification_sent' || notification.audience === 'staff',
    data: { notificationId: notification.notificationId, channel: notification.channel, ...data },
  };
}
