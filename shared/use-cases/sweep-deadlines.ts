// The periodic sweep: find every case whose clocks reached 80 % or 100 % through the sparse, sharded
// `dueClocks` index (never a Scan, so its cost follows the due clocks, not the table), and hand each to
// the SLA work queue. It also heals what a hand-off lost after a committed write would strand:
// cases stuck in `received` go back to intake, and due outbox notifications back to delivery.
import { dispatchDueNotifications } from './dispatch-due-notifications.ts';
import type { Dependencies } from './ports.ts';

/** Intake normally takes seconds; a case still `received` after this was never (or not yet) queued. */
export const stuckIntakeAfterMs = 2 * 60_000;

export interface SweepReport {
  dueCases: number;
  requeuedIntake: number;
  requeuedNotifications: number;
}

export async function sweepDeadlines(
  deps: Pick<Dependencies, 'caseIndex' | 'outbox' | 'queues' | 'clock' | 'logger'>,
): Promise<SweepReport> {
  const now = deps.clock.now();
  // Independent jobs: one failing must not starve the others, but the run still fails so it is retried.
  const results = await Promise.allSettled([
    queueDueCases(now, deps),
    requeueStuckIntake(now, deps),
    dispatchDueNotifications(deps).then((result) => result.queued),
  ]);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [dueCases, requeuedIntake, requeuedNotifications] = results.map(
    (result) => (result as PromiseFulfilledResult<number>).value,
  );
  return {
    dueCases: dueCases!,
    requeuedIntake: requeuedIntake!,
    requeuedNotifications: requeuedNotifications!,
  };
}

async function queueDueCases(now: Date, deps: Pick<Dependencies, 'caseIndex' | 'queues'>): Promise<number> {
  const caseIds = await deps.caseIndex.findDueCaseIds(now.toISOString());
  if (caseIds.length > 0) await deps.queues.slaWork.send(caseIds.map((caseId) => ({ caseId })));
  return caseIds.length;
}

async function requeueStuckIntake(
  now: Date,
  deps: Pick<Dependencies, 'caseIndex' | 'queues' | 'logger'>,
): Promise<number> {
  const before = new Date(now.getTime() - stuckIntakeAfterMs).toISOString();
  const caseIds = await deps.caseIndex.findCaseIdsInStatus('received', before);
  if (caseIds.length === 0) return 0;
  deps.logger.warn('Re-queuing cases stuck in received', { count: caseIds.length });
  await deps.queues.intake.send(caseIds.map((caseId) => ({ caseId })));
  return caseIds.length;
}
