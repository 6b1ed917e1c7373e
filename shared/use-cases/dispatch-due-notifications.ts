// Hands every outbox notification that is due (held SMS after quiet hours, surveys after their
// delay, and any whose hand-off was lost after the commit) to the notification queue again.
// Delivery is exactly-once by the claim on the notification item, so queuing twice is harmless; but a
// notification that waits behind a long backlog would be queued again every minute, multiplying the
// queue's work on the day it is longest. So one this job found due at an earlier run as well (due for
// longer than a run's interval) is queued once more and then taken out of the index: its queue messages
// own it from then on (they retry with backoff, and a message's last receive puts a notification still
// held by a stopped sender back in the index). One found due for the first time stays indexed, so the
// common case (a survey or a held SMS, sent within the minute) costs no extra write.
import type { Dependencies } from './ports.ts';

/** The sweep runs every minute: a notification due for longer was seen due by the run before. */
export const dispatchIntervalMs = 60_000;

export async function dispatchDueNotifications(
  deps: Pick<Dependencies, 'outbox' | 'queues' | 'clock' | 'metrics'>,
): Promise<{ queued: number; handedOver: number }> {
  const now = deps.clock.now();
  const due = await deps.outbox.findDispatchableNotifications(now.toISOString());
  if (due.length === 0) return { queued: 0, handedOver: 0 };
  await deps.queues.notifications.send(due.map(({ caseId, notificationId }) => ({ caseId, notificationId })));
  const seenBefore = new Date(now.getTime() - dispatchIntervalMs).toISOString();
  const handedOver = await deps.outbox.handOverToQueue(due.filter((ref) => ref.dispatchAt < seenBefore));
  if (handedOver > 0) deps.metrics.count('NotificationsHandedOverToQueue', {}, handedOver);
  return { queued: due.length, handedOver };
}
