// The unit of work of every action on an existing case: load it, let the domain decide, and save the case,
// its timeline entries, its outbox notifications and the day's report counters in one transaction under
// the optimistic lock. A lost race reloads and decides again; after the commit the notifications are queued.
import { beijingDate } from '#domain/beijing-time';
import type { CaseDecision } from '#domain/case/case-decision';
import { reportIncrements } from '#domain/case-report';
import { Conflict, NotFound } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import type { Dependencies } from './ports.ts';
import { ConcurrentModification } from './ports.ts';
import { queueNotifications } from './queue-notifications.ts';

const defaultMaxAttempts = 3;

export interface CaseChange {
  supportCase: SupportCase;
  decision: CaseDecision;
}

export interface CaseChangeOptions {
  notFound?: string;
  authorize?: (supportCase: SupportCase) => void;
  maxAttempts?: number;
  /** The case as the caller already loaded it: the first attempt decides on it instead of loading again. */
  loaded?: SupportCase;
}

export async function changeCase(
  caseId: string,
  deps: Dependencies,
  decide: (supportCase: SupportCase, now: Date) => CaseDecision,
  options: CaseChangeOptions = {},
): Promise<CaseChange> {
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  for (let attempt = 1; ; attempt += 1) {
    // After a lost race the stored case has moved on: every retry loads it again.
    const loaded = attempt === 1 && options.loaded ? options.loaded : await deps.cases.getCase(caseId);
    if (!loaded) throw new NotFound(options.notFound ?? 'No case with this id');
    options.authorize?.(loaded);
    const now = deps.clock.now();
    const decision = decide(loaded, now);
    // Nothing to do (e.g. assigning a case to its current handler): no write, no new version.
    if (decision.supportCase === loaded && decision.timeline.length === 0) {
      return { supportCase: loaded, decision };
    }
    try {
      const saved = await deps.cases.saveCase(decision.supportCase, {
        timeline: decision.timeline,
        notifications: decision.notifications,
        reportCounters: { day: beijingDate(now), increments: reportIncrements(loaded, decision.supportCase) },
      });
      recordBreaches(loaded, saved, deps);
      await queueNotifications(decision.notifications, deps);
      return { supportCase: saved, decision };
    } catch (error) {
      if (!(error instanceof ConcurrentModification)) throw error;
      if (attempt >= maxAttempts) throw new Conflict('The case changed while this was saved; try again');
    }
  }
}

/**
 * SlaBreached, once per clock, for every clock this committed write breached: by the sweep, or by an
 * agent who answered after the due time and before the sweep came round.
 */
function recordBreaches(
  before: SupportCase,
  after: SupportCase,
  deps: Pick<Dependencies, 'metrics' | 'logger'>,
) {
  for (const [clock, state] of Object.entries(after.clocks)) {
    if (!state?.breachedAt || before.clocks[clock as keyof SupportCase['clocks']]?.breachedAt) continue;
    deps.metrics.count('SlaBreached', { clock, team: before.team });
    deps.logger.info('SLA clock breached', { caseId: after.caseId, clock, team: before.team });
  }
}
