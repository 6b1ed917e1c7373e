// The periodic sweep: find every case whose clocks reached 80 % or 100 % through the sparse, sharded
// `dueClocks` index (never a Scan, so its cost follows the due clocks, not the table), and hand each to
// the SLA work queue. It also heals what a hand-off lost after a committed write would strand:
// cases stuck in `received` go back to intake (at most `maxIntakeRequeues` times each, then intake gives
// up on them), and due outbox notifications back to delivery. At the peak thousands of clocks fall due a
// minute: the sweep reads the shards in parallel a page at a time, hands each page to the queue, and
// stops when its time budget is spent, so a run never overlaps the next; what it left is still due and
// the next run takes it, and `SweepIncomplete` says it happened.
import { maxIntakeRequeues } from '#domain/case/intake';
import { dispatchDueNotifications } from './dispatch-due-notifications.ts';
import { giveUpOnIntake } from './give-up-intake.ts';
import type { Dependencies } from './ports.ts';

/** Intake normally takes seconds; a case still `received` after this was never (or not yet) queued. */
export const stuckIntakeAfterMs = 2 * 60_000;

/** The sweep runs every minute with a 50 s timeout: it stops queuing due cases after this. */
export const sweepBudgetMs = 40_000;

export interface SweepReport {
  dueCases: number;
  /** False when the budget ran out before every due clock was read (the next run continues). */
  dueComplete: boolean;
  requeuedIntake: number;
  /** Cases intake gave up on in this run. */
  failedIntake: number;
  requeuedNotifications: number;
}

export async function sweepDeadlines(deps: Dependencies, budgetMs = sweepBudgetMs): Promise<SweepReport> {
  const now = deps.clock.now();
  // Independent jobs: one failing must not starve the others, but the run still fails so it is retried.
  const [due, intake, notifications] = await Promise.allSettled([
    queueDueCases(now, deps, budgetMs),
    requeueStuckIntake(now, deps),
    dispatchDueNotifications(deps),
  ]);
  if (due.status === 'rejected') throw due.reason;
  if (intake.status === 'rejected') throw intake.reason;
  if (notifications.status === 'rejected') throw notifications.reason;
  return {
    dueCases: due.value.queued,
    dueComplete: due.value.complete,
    requeuedIntake: intake.value.requeued,
    failedIntake: intake.value.failed,
    requeuedNotifications: notifications.value.queued,
  };
}

export async function queueDueCases(
  now: Date,
  deps: Pick<Dependencies, 'caseIndex' | 'queues' | 'metrics' | 'logger'>,
  budgetMs: number,
): Promise<{ queued: number; complete: boolean }> {
  const startedAt = performance.now();
  let queued = 0;
  let rounds = 0;
  for await (const caseIds of deps.caseIndex.dueCaseIdPages(now.toISOString())) {
    // Every run queues at least one round, so the sweep always makes progress.
    if (rounds > 0 && performance.now() - startedAt > budgetMs) {
      deps.metrics.count('SweepIncomplete', {});
      deps.logger.warn('The sweep ran out of time: the next run continues', { queued });
      return { queued, complete: false };
    }
    if (caseIds.length > 0) await deps.queues.slaWork.send(caseIds.map((caseId) => ({ caseId })));
    queued += caseIds.length;
    rounds += 1;
  }
  return { queued, complete: true };
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
