// One case from the deadline sweep: mark clocks at risk or breached, escalate, and put the reminders
// and breach notices in the outbox, in one transaction. However often the case is handed in
// and however many workers race, the optimistic version check lets one write win; the others reload
// and find nothing left to do.
import { NotFound } from '#domain/errors';
import { type EnforcementDecision, enforceClocks } from '#domain/sla-enforcement';
import type { SupportCase } from '#domain/support-case';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export type EnforcementOutcome = 'enforced' | 'nothing_due' | 'unknown';

const nothingDue = (supportCase: SupportCase): EnforcementDecision => ({
  supportCase,
  timeline: [],
  notifications: [],
  breaches: [],
});

export async function enforceDeadlines(caseId: string, deps: Dependencies): Promise<EnforcementOutcome> {
  let change: Awaited<ReturnType<typeof changeCase<EnforcementDecision>>>;
  try {
    // The report's sla.<clock>.breached counters move in the same transaction (changeCase), so they
    // count once too; a lost race decides again on what is stored now.
    change = await changeCase(
      caseId,
      deps,
      (supportCase, now) =>
        enforceClocks(supportCase, { now, teamLeads: deps.teamLeads }) ?? nothingDue(supportCase),
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
