// The periodic sweep: find every case whose clocks reached 80 % or 100 % through the sparse, sharded
// `dueClocks` index (never a Scan, so its cost follows the due clocks, not the table), and hand each to
// the SLA work queue. It also heals what a hand-off lost after a committed write would strand:
// cases stuck in `received` go back to intake (at most `maxIntakeRequeues` times each, then intake gives
// up on them), and due outbox notifications back to delivery.
import { maxIntakeRequeues } from '#domain/case/intake';
import { dispatchDueNotifications } from './dispatch-due-notifications.ts';
import { giveUpOnIntake } from './give-up-intake.ts';
import type { Dependencies } from './ports.ts';

/** Intake normally takes seconds; a case still `received` after this was never (or not yet) queued. */
export const stuckIntakeAfterMs = 2 * 60_000;

export interface SweepReport {
  dueCases: number;
  requeuedIntake: number;
  /** Cases intake gave up on in this run. */
  failedIntake: number;
  requeuedNotifications: number;
}

export async function sweepDeadlines(deps: Dependencies): Promise<SweepReport> {
  const now = deps.clock.now();
  // Independent jobs: one failing must not starve the others, but the run still fails so it is retried.
  const [due, intake, notifications] = await Promise.allSettled([
    queueDueCases(now, deps),
    requeueStuckIntake(now, deps),
    dispatchDueNotifications(deps),
  ]);
  if (due.status === 'rejected') throw due.reason;
  if (intake.status === 'rejected') throw intake.reason;
  if (notifications.status === 'rejected') throw notifications.reason;
  return {
    dueCases: due.value,
    requeuedIntake: intake.value.requeued,
    failedIntake: intake.value.failed,
    requeuedNotifications: notifications.value.queued,
  };
}

async function queueDueCases(now: Date, deps: Pick<Dependencies, 'caseIndex' | 'queues'>): Promise<number> {
  const caseIds = await deps.caseIndex.findDueCaseIds(now.toISOString());
  if (caseIds.length > 0) await deps.queues.slaWork.send(caseIds.map((caseId) => ({ caseId })));
  return caseIds.length;
}

/** Each stuck case goes back to intake while it has re-queues left; after that, intake gives up on it. */
async function requeueStuckIntake(
  now: Date,
  deps: Dependencies,
): Promise<{ requeued: number; failed: number }> {
  const before = new Date(now.getTime() - stuckIntakeAfterMs).toISOString();
  const caseIds = await deps.caseIndex.findStuckInIntake(before);
  if (caseIds.length === 0) return { requeued: 0, failed: 0 };
  const counted = await Promise.all(
    caseIds.map(async (caseId) => ({ caseId, requeues: await deps.intakeRequeues.countRequeue(caseId) })),
  );
  const retry = counted.filter(({ requeues }) => requeues <= maxIntakeRequeues);
  const exhausted = counted.filter(({ requeues }) => requeues > maxIntakeRequeues);
  if (retry.length > 0) {
    deps.logger.warn('Re-queuing cases stuck in received', { count: retry.length });
    await deps.queues.intake.send(retry.map(({ caseId }) => ({ caseId })));
  }
  const gaveUp = await Promise.all(
    exhausted.map(({ caseId }) => giveUpOnIntake(caseId, maxIntakeRequeues, deps)),
  );
  return { requeued: retry.length, failed: gaveUp.filter(Boolean).length };
}
