// Every committed case change comes here from the table stream, a batch at a time. If its writer stopped
// before writing its timeline entries and notifications (and, for a new case, its contact index entries),
// they are written here (nearly always the writer did, as the stream's batching window gives it a few
// seconds; one read checks the whole batch), and the
// notifications queued as the writer would have queued them. A notification the writer queued that is still
// unclaimed is put where the dispatch job finds it, in case its message was lost. Its report counters are counted here, each
// change once (reports.countChanges).
import type { CommittedChange, Dependencies, LaneOfChanges } from './ports.ts';
import { queueNotifications } from './queue-notifications.ts';

export async function completeCaseChanges(
  changes: readonly CommittedChange[],
  deps: Pick<Dependencies, 'cases' | 'queues' | 'logger' | 'metrics' | 'clock'>,
): Promise<number> {
  const outcomes = await deps.cases.completeChanges(changes);
  const completed = changes.filter((_, n) => outcomes[n] === 'completed');
  // Not an error: under a backlog the queue message is still waiting; if it was lost, the dispatch job
  // queues the notification. A steady count with an empty queue means hand-offs are being lost.
  const waiting = outcomes.filter((outcome) => outcome === 'pending_indexed').length;
  if (waiting > 0) deps.metrics.count('NotificationsUnclaimedAtCompletion', {}, waiting);
  for (const change of completed) {
    deps.metrics.count('CaseChangesCompletedFromStream', {});
    deps.logger.warn('Completed a case change its writer did not', {
      caseId: change.caseId,
      version: change.version,
      timelineEntries: change.timeline.length,
      notifications: change.notifications.length,
      ...(change.opened ? { contactEntries: change.opened.contactHashes.length } : {}),
    });
  }
  await queueNotifications(
    completed.flatMap((change) => change.notifications),
    deps,
  );
  return completed.length;
}

/** The report counters of a batch of committed changes, each counted once however often its lane gives it. */
export async function countCaseChanges(
  batch: LaneOfChanges,
  deps: Pick<Dependencies, 'reports' | 'metrics'>,
): Promise<number> {
  const counted = await deps.reports.countChanges(batch);
  if (counted > 0) deps.metrics.count('CaseChangesCounted', {}, counted);
  return counted;
}
