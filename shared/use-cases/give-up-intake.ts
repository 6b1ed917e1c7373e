// Intake gives up on a case the sweep handed back too often: the case stays `received` and shows in the
// supervisors' queue of received cases, its timeline says why, and IntakeFailed (with its alarm) tells ops.
import { unchanged } from '#domain/case/case-decision';
import { giveUpIntake } from '#domain/case/intake';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export async function giveUpOnIntake(caseId: string, requeues: number, deps: Dependencies): Promise<boolean> {
  const { decision } = await changeCase(
    caseId,
    deps,
    // Intake winning the race leaves the case open: the reload finds nothing to give up on.
    (supportCase, now) => giveUpIntake(supportCase, { now, requeues }) ?? unchanged(supportCase),
  );
  if (decision.timeline.length === 0) return false;
  deps.metrics.count('IntakeFailed', {});
  deps.logger.warn('Intake gave up on a case', { caseId, requeues });
  return true;
}
