// Hands every outbox notification that is due (held SMS after quiet hours, surveys after their
// delay, and any whose hand-off was lost after the commit) to the notification queue again.
// Delivery is exactly-once by the claim on the notification item, so queuing twice is harmless.
import type { Dependencies } from './ports.ts';

export async function dispatchDueNotifications(
  deps: Pick<Dependencies, 'outbox' | 'queues' | 'clock'>,
): Promise<{ queued: number }> {
  const due = await deps.outbox.findDispatchableNotifications(deps.clock.now().toISOString());
  if (due.length > 0) await deps.queues.notifications.send(due);
  return { queued: due.length };
}
