import type { NotificationIntent } from '#domain/support-case';
import type { Dependencies } from './ports.ts';

type Queued = Pick<NotificationIntent, 'caseId' | 'notificationId' | 'dispatchAt'>;
type QueueDependencies = Pick<Dependencies, 'queues' | 'logger' | 'clock'>;

/**
 * Hands the notifications due now to the queue, and throws if the queue did not take them all: for a
 * caller whose own message retries the hand-off (an incident's fan-out page), as nothing else will.
 */
export async function handOffNotifications(notifications: readonly Queued[], deps: QueueDependencies) {
  const now = deps.clock.now().toISOString();
  const due = notifications.filter((notification) => notification.dispatchAt <= now);
  if (due.length === 0) return;
  await deps.queues.notifications.send(due.map(({ caseId, notificationId }) => ({ caseId, notificationId })));
}

/** After a case change has committed: hand the notifications to the queue. A failure here loses
 * nothing (the table stream's completer puts a notification it finds unclaimed where the sweep re-queues
 * it), so it is logged, not thrown. */
export async function queueNotifications(
  notifications: readonly Queued[],
  deps: QueueDependencies,
): Promise<void> {
  try {
    await handOffNotifications(notifications, deps);
  } catch (error) {
    deps.logger.warn('Notifications not queued; the sweep will re-queue them', {
      count: notifications.length,
      error: (error as Error).message,
    });
  }
}
