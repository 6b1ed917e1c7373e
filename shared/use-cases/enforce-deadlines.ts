// One case from the deadline sweep: mark clocks at risk or breached, escalate, and put the reminders
// and breach notices in the outbox, in one transaction. However often the case is handed in
// and however many workers race, the optimistic version check lets one write win; the others reload
// and find nothing left to do.
import { unchanged } from '#domain/case/case-decision';
import { NotFound } from '#domain/errors';
import { enforceClocks } from '#domain/sla-enforcement';
import { type CaseChange, changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export type EnforcementOutcome = 'enforced' | 'nothing_due' | 'unknown';

export async function enforceDeadlines(caseId: string, deps: Dependencies): Promise<EnforcementOutcome> {
  let change: CaseChange;
  try {
    // The report's sla.<clock>.breached counters move in the same transaction (changeCase), so they
    // count once too; a lost race decides again on what is stored now.
    change = await changeCase(
      caseId,
      deps,
      (supportCase, now) =>
        enforceClocks(supportCase, { now, teamLeads: deps.teamLeads }) ?? unchanged(supportCase),
      { maxAttempts: 5 },
    );
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    deps.logger.warn('Deadline work for an unknown case', { caseId });
    return 'unknown';
  }
  // The SlaBreached metric is emitted by changeCase, after the write that committed, so retries don't double it.
  return change.decision.timeline.length === 0 ? 'nothing_due' : 'enforced';
}
