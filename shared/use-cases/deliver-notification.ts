// Deliver one outbox notification, exactly once: claim it with a conditional write, check the
// suppression list and quiet hours, render, send, and mark it sent with its timeline entry.
import {
  type NotificationData,
  type NotificationKind,
  renderEmail,
  renderSms,
} from '#domain/notification-templates';
import { quietHoursHoldUntil } from '#domain/quiet-hours';
import type { TimelineEntry } from '#domain/support-case';
import { ConcurrentModification, type StoredNotification } from '../adapters/case-repository.ts';
import { SmsOptedOut } from '../adapters/sms-sender.ts';
import type { Dependencies } from './ports.ts';

export type DeliveryOutcome = 'sent' | 'already_done' | 'held' | 'suppressed' | 'not_due' | 'unknown';

/** Another consumer holds the notification right now; the queue should try again later. */
export class NotificationBusy extends Error {
  override name = 'NotificationBusy';
}

const leaseMs = 60_000;

export async function deliverNotification(
  message: { caseId: string; notificationId: string },
  attempt: { receiveCount: number; maxReceiveCount: number },
  deps: Dependencies,
): Promise<DeliveryOutcome> {
  const { caseId, notificationId } = message;
  const stored = await deps.repository.getNotification(caseId, notificationId);
  if (!stored) {
    deps.logger.warn('Notification not found', { caseId, notificationId });
    return 'unknown';
  }
  if (stored.status === 'sent' || stored.status === 'suppressed' || stored.status === 'skipped')
    return 'already_done';
  const now = deps.clock.now();
  if (stored.status === 'pending' && stored.dispatchAt > now.toISOString()) return 'not_due';

  let notification: StoredNotification;
  try {
    notification = await deps.repository.claimNotification(caseId, notificationId, now, leaseMs);
  } catch (error) {
    if (error instanceof ConcurrentModification)
      throw new NotificationBusy(`${notificationId} is being delivered`);
    throw error;
  }

  const recipientHash = deps.keyring.hashContact(notification.recipient);
  const suppression = await deps.repository.getSuppression(recipientHash);
  if (suppression) {
    await deps.repository.completeNotification(
      caseId,
      notificationId,
      { status: 'suppressed', at: now.toISOString() },
      timelineEntry(notification, now, 'notification_suppressed', { reason: suppression.reason }),
    );
    return 'suppressed';
  }

  if (notification.channel === 'sms') {
    const holdUntil = quietHoursHoldUntil(now);
    if (holdUntil) {
      await deps.repository.releaseNotification(caseId, notificationId, {
        dispatchAt: holdUntil.toISOString(),
      });
      return 'held';
    }
  }

  try {
    const data = await renderData(notification, deps);
    const providerMessageId =
      notification.channel === 'email'
        ? (
            await deps.mailer.send({
              to: notification.recipient,
              ...renderEmail(notification.kind as NotificationKind, notification.locale, data),
              tags: { caseId, notificationId: tagSafe(notificationId) },
            })
          ).messageId
        : (
            await deps.sms.send({
              to: notification.recipient,
              body: renderSms(notification.kind as NotificationKind, notification.locale, data),
              tags: { caseId, notificationId },
            })
          ).messageId;
    await deps.repository.completeNotification(
      caseId,
      notificationId,
      { status: 'sent', at: deps.clock.now().toISOString(), providerMessageId },
      timelineEntry(notification, deps.clock.now(), 'notification_sent', {}),
    );
    return 'sent';
  } catch (error) {
    if (error instanceof SmsOptedOut) {
      await deps.repository.suppressContact(recipientHash, {
        reason: 'opted_out',
        at: now.toISOString(),
        channel: 'sms',
        caseId,
      });
      await deps.repository.completeNotification(
        caseId,
        notificationId,
        { status: 'suppressed', at: now.toISOString() },
        timelineEntry(notification, now, 'notification_suppressed', { reason: 'opted_out' }),
      );
      return 'suppressed';
    }
    const lastAttempt = attempt.receiveCount >= attempt.maxReceiveCount;
    await deps.repository.releaseNotification(
      caseId,
      notificationId,
      { error: (error as Error).name, failed: lastAttempt },
      lastAttempt
        ? timelineEntry(notification, now, 'notification_failed', { error: (error as Error).name })
        : undefined,
    );
    throw error;
  }
}

/** Links carry the case token, which is derived at send time and never stored in the outbox. */
async function renderData(notification: StoredNotification, deps: Dependencies): Promise<NotificationData> {
  const data = { ...notification.data, kind: notification.kind } as Record<string, unknown>;
  if (notification.audience === 'customer') {
    const supportCase = await deps.repository.getCase(notification.caseId);
    if (supportCase) {
      const token = deps.keyring.caseToken(supportCase.caseId, supportCase.tokenNonce);
      data.caseLink = deps.links.customerCaseUrl(supportCase.caseId, token);
      if (notification.kind === 'survey')
        data.surveyLink = deps.links.customerCaseUrl(supportCase.caseId, token);
    }
  } else {
    data.caseLink = deps.links.agentCaseUrl(notification.caseId);
  }
  return data as unknown as NotificationData;
}

function timelineEntry(
  notification: StoredNotification,
  at: Date,
  kind: 'notification_sent' | 'notification_failed' | 'notification_suppressed',
  data: Record<string, unknown>,
): TimelineEntry {
  const iso = at.toISOString();
  return {
    // Deterministic per notification and outcome, so a retried write cannot add a second entry.
    entryId: `${iso}#${kind}#${notification.notificationId}`,
    at: iso,
    kind,
    actor: 'system',
    message: `${notification.kind} by ${notification.channel}`,
    internal: notification.audience === 'staff',
    data: { notificationId: notification.notificationId, channel: notification.channel, ...data },
  };
}

/** SES tag values allow only letters, digits, _ - . @ */
function tagSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9_.@-]/g, '_');
}
