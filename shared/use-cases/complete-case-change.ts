// A committed case change whose writer stopped before completing it: the table stream brings every
// committed change here, and the store writes what it still owes unless the writer already did (nearly
// always, as the stream's batching window gives the writer a few seconds). What this completes, its
// notifications are queued here too, as the writer would have queued them.
import type { CommittedChange, Dependencies } from './ports.ts';
import { queueNotifications } from './queue-notifications.ts';

export async function completeCaseChange(
  change: CommittedChange,
  deps: Pick<Dependencies, 'cases' | 'queues' | 'logger' | 'metrics' | 'clock'>,
): Promise<'completed' | 'already_complete'> {
  const outcome = await deps.cases.completeChange(change);
  if (outcome === 'completed') {
    deps.metrics.count('CaseChangesCompletedFromStream', {});
    deps.logger.warn('Completed a case change its writer did not', {
      caseId: change.caseId,
      version: change.version,
      timelineEntries: change.timeline.length,
      notifications: change.notifications.length,
    });
    await queueNotifications(change.notifications, deps);
  }
  return outcome;
}
