import type { NotificationIntent } from '#domain/support-case';
import type { Dependencies } from './ports.ts';

/** After the outbox write has committed: hand the notifications to the queue. A failure here loses
 * nothing — the sweep re-queues pending notifications — so it is logged, not thrown. */
export async function queueNotifications(
  notifications: readonly Pick<NotificationIntent, 'caseId' | 'notificationId' | 'dispatchAt'>[],
  deps: Pick<Dependencies, 'queues' | 'logger' | 'clock'>,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const due = notifications.filter((notification) => notification.dispatchAt <= now);
  if (due.length === 0) return;
  try {
    await deps.queues.notifications.send(
      due.map(({ caseId, notificationId }) => ({ caseId, notificationId })),
    );
  } catch (error) {
    deps.logger.warn('Notifications not queued; the sweep will re-queue them', {
      count: due.length,
      error: (error as Error).message,
    });
  }
}
