// Every committed case change comes here from the table stream. Its report counters are counted here, a
// batch of changes at a time, each change once (reports.countChanges). And if its writer stopped before
// writing its timeline entries and notifications, they are written here (nearly always the writer did, as
// the stream's batching window gives it a few seconds), and the notifications queued as the writer would
// have queued them.
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

/** The report counters of a batch of committed changes, each counted once however often it arrives. */
export async function countCaseChanges(
  changes: readonly CommittedChange[],
  deps: Pick<Dependencies, 'reports' | 'metrics'>,
): Promise<number> {
  const counted = await deps.reports.countChanges(changes);
  if (counted > 0) deps.metrics.count('CaseChangesCounted', {}, counted);
  return counted;
}
