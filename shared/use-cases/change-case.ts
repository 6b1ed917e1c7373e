// The unit of work of every action on an existing case: load it, let the domain decide, and save the case
// under the optimistic lock with its timeline entries, outbox notifications and the day's report counters
// (committed with the case item, then completed: CaseStore.saveCase). A lost race reloads and decides
// again; after the completion the notifications are queued.
import { beijingDate } from '#domain/beijing-time';
import type { CaseDecision } from '#domain/case/case-decision';
import { reportIncrements } from '#domain/case-report';
import { Conflict, NotFound } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import type { Dependencies } from './ports.ts';
import { ChangeNotCompleted, ConcurrentModification } from './ports.ts';
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
      const saved = await saveChange(loaded, decision, now, deps);
      recordBreaches(loaded, saved.supportCase, deps);
      if (saved.completed) await queueNotifications(decision.notifications, deps);
      return { supportCase: saved.supportCase, decision };
    } catch (error) {
      if (!(error instanceof ConcurrentModification)) throw error;
      if (attempt >= maxAttempts) throw new Conflict('The case changed while this was saved; try again');
    }
  }
}

/**
 * The save: committed, and completed unless the completion failed, in which case the table stream's
 * CaseChangeCompleter completes it and queues its notifications (the change stands either way).
 */
async function saveChange(
  loaded: SupportCase,
  decision: CaseDecision,
  now: Date,
  deps: Pick<Dependencies, 'cases' | 'metrics' | 'logger'>,
): Promise<{ supportCase: SupportCase; completed: boolean }> {
  try {
    const supportCase = await deps.cases.saveCase(decision.supportCase, {
      timeline: decision.timeline,
      notifications: decision.notifications,
      reportCounters: { day: beijingDate(now), increments: reportIncrements(loaded, decision.supportCase) },
    });
    return { supportCase, completed: true };
  } catch (error) {
    if (!(error instanceof ChangeNotCompleted)) throw error;
    deps.metrics.count('CaseChangesLeftToStream', {});
    deps.logger.warn('Case change committed; the table stream will complete it', {
      caseId: error.saved.caseId,
      version: error.saved.version,
      error: (error.cause as Error | undefined)?.name,
    });
    return { supportCase: error.saved, completed: false };
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
