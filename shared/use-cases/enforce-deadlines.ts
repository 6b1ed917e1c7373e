// One case from the deadline sweep: mark clocks at risk or breached, escalate, and put the reminders
// and breach notices in the outbox, in one transaction. However often SQS delivers the message and
// however many consumers race, the optimistic version check lets one write win; the others reload
// and find nothing left to do.
import { reportIncrements } from '#domain/case-report';
import { enforceClocks } from '#domain/sla-enforcement';
import { caseDayOf } from '#domain/support-case';
import { ConcurrentModification } from '../adapters/case-repository.ts';
import type { Dependencies } from './ports.ts';
import { queueNotifications } from './queue-notifications.ts';

export type EnforcementOutcome = 'enforced' | 'nothing_due' | 'unknown';

const maxAttempts = 5;

export async function enforceDeadlines(caseId: string, deps: Dependencies): Promise<EnforcementOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const supportCase = await deps.repository.getCase(caseId);
    if (!supportCase) {
      deps.logger.warn('Deadline work for an unknown case', { caseId });
      return 'unknown';
    }
    const now = deps.clock.now();
    const decision = enforceClocks(supportCase, { now, teamLeads: deps.teamLeads });
    if (!decision) return 'nothing_due';
    try {
      await deps.repository.saveCase(decision.supportCase, {
        timeline: decision.timeline,
        notifications: decision.notifications,
        // The report's sla.<clock>.breached counters move in the same transaction, so they count once too.
        extra: deps.repository.reportCounterUpdates(
          caseDayOf(now),
          reportIncrements(supportCase, decision.supportCase),
          caseId,
        ),
      });
    } catch (error) {
      // Someone else changed the case (another sweep, or an agent): decide again on what is stored now.
      if (error instanceof ConcurrentModification && attempt < maxAttempts) continue;
      throw error;
    }
    // Only the write that committed counts the breach, so the metric is not doubled by retries.
    for (const breach of decision.breaches) {
      deps.metrics.count('SlaBreached', { clock: breach.clock, team: breach.team });
      deps.logger.info('SLA clock breached', { caseId, clock: breach.clock, team: breach.team });
    }
    await queueNotifications(decision.notifications, deps);
    return 'enforced';
  }
}
