// The retention job (DOMAIN.md §9, API.md "Lifecycle"): every case whose next lifecycle step is due, found
// through the sparse `retentionDue` index, takes that step: a quiet resolved case closes, a case closed a
// year ago is anonymised, one closed five years ago is deleted. Each step is decided again from the stored
// case, so a second run (or one racing another) changes nothing, and a run that stopped half-way is taken
// up by the next. A run stops after its page and time budgets; what it left is still due.
import { type CaseDecision, unchanged } from '#domain/case/case-decision';
import { Conflict } from '#domain/errors';
import {
  type AnonymisationReason,
  anonymiseCase,
  closeQuietCase,
  defaultRetentionPolicy,
  dueRetentionStep,
  maskNotificationData,
  maskTimelineEntry,
  personalDataMasker,
  type RetentionPolicy,
  type RetentionStep,
  retentionCutoffs,
} from '#domain/retention';
import type { ServicePolicy } from '#domain/service-policy';
import type { NotificationIntent, SupportCase } from '#domain/support-case';
import { deleteCaseAttachments } from './attachments.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies, StoredNotification } from './ports.ts';
import type { MaskedNotification } from './retention-ports.ts';

export interface RetentionBudget {
  /** Stop starting new cases after this long. */
  timeMs: number;
  /** Rounds of index pages (one page of every shard) read per run. */
  pages: number;
}

/** The job runs every 15 minutes with a 5-minute timeout: it stops well before. */
export const defaultRetentionBudget: RetentionBudget = { timeMs: 180_000, pages: 20 };

export interface RetentionReport {
  closed: number;
  anonymised: number;
  deleted: number;
  /** Cases whose step threw; each is retried by the next run. */
  failed: number;
  /** Due cases read but left for the next run when the budget ran out. */
  remaining: number;
  complete: boolean;
}

/** The lifecycle's windows: the quiet period before closing is the operator's (`windows.autoCloseDays`). */
export function retentionPolicyOf(policy: ServicePolicy): RetentionPolicy {
  return { ...defaultRetentionPolicy, quietPeriodDays: policy.windows.autoCloseDays };
}

const stepCounts = { close: 'closed', anonymise: 'anonymised', delete: 'deleted' } as const;

export async function runRetention(
  deps: Dependencies,
  budget: RetentionBudget = defaultRetentionBudget,
): Promise<RetentionReport> {
  const startedAt = performance.now();
  const now = deps.clock.now();
  const policy = retentionPolicyOf((await policyInForce(deps)).policy);
  const report: RetentionReport = {
    closed: 0,
    anonymised: 0,
    deleted: 0,
    failed: 0,
    remaining: 0,
    complete: true,
  };
  let rounds = 0;
  for await (const caseIds of deps.retention.dueCaseIdPages(retentionCutoffs(now, policy))) {
    const spent = () => rounds >= budget.pages || performance.now() - startedAt > budget.timeMs;
    for (const [index, caseId] of caseIds.entries()) {
      // Every run takes at least one case, so the job always makes progress.
      if (report.closed + report.anonymised + report.deleted + report.failed > 0 && spent()) {
        report.remaining += caseIds.length - index;
        report.complete = false;
        break;
      }
      try {
        const step = await takeRetentionStep(caseId, now, deps, policy);
        if (step) report[stepCounts[step]] += 1;
      } catch (error) {
        report.failed += 1;
        deps.logger.error('A retention step failed; the next run tries it again', {
          caseId,
          error: (error as Error).name,
        });
      }
    }
    rounds += 1;
    if (!report.complete) break;
    if (spent()) {
      // More pages may follow: the run says it did not finish, without reading them.
      report.complete = false;
      break;
    }
  }
  recordRun(report, deps);
  return report;
}

function recordRun(report: RetentionReport, deps: Pick<Dependencies, 'metrics' | 'logger'>): void {
  for (const step of ['closed', 'anonymised', 'deleted', 'failed', 'remaining'] as const) {
    deps.metrics.count('RetentionCases', { step }, report[step]);
  }
  if (report.failed > 0) deps.metrics.count('RetentionFailed', {}, report.failed);
  if (!report.complete) {
    deps.metrics.count('RetentionIncomplete', {});
    deps.logger.warn('The retention job ran out of its budget: the next run continues', { ...report });
  }
}

/** The step the stored case is due for at `now`, taken; undefined when none is due (any more). */
export async function takeRetentionStep(
  caseId: string,
  now: Date,
  deps: Dependencies,
  policy: RetentionPolicy = defaultRetentionPolicy,
): Promise<RetentionStep | undefined> {
  const supportCase = await deps.cases.getCase(caseId);
  if (!supportCase) return undefined;
  const step = dueRetentionStep(supportCase, now, policy);
  if (step === 'close') {
    const { decision } = await changeCase(
      caseId,
      deps,
      (loaded, at) =>
        dueRetentionStep(loaded, at, policy) === 'close'
          ? closeQuietCase(loaded, at, policy)
          : unchanged(loaded),
      { loaded: supportCase },
    );
    return decision.timeline.length > 0 ? 'close' : undefined;
  }
  if (step === 'anonymise') return (await anonymiseStoredCase(caseId, 'retention', deps)) ? step : undefined;
  if (step === 'delete') {
    await deleteCaseAttachments(caseId, deps);
    await deps.retention.deleteCase(supportCase);
    return step;
  }
  return undefined;
}

const settledStatuses = new Set<StoredNotification['status']>(['sent', 'suppressed', 'skipped']);
const maxAnonymiseAttempts = 3;

/**
 * Anonymises a case and everything under it: timeline and notifications are masked first, the contact
 * index entries go, and the case itself is saved last under its optimistic lock. A change that slipped in
 * meanwhile (a reply) fails that save, and the whole pass runs again over what is stored now.
 * `lastWords` are notifications decided from the case as it was (the erasure confirmation): the outbox
 * item carries the recipient until it is sent. False when the case is gone or was anonymised already.
 */
export async function anonymiseStoredCase(
  caseId: string,
  reason: AnonymisationReason,
  deps: Dependencies,
  lastWords: (original: SupportCase, at: string) => NotificationIntent[] = () => [],
): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const record = await deps.retention.loadCaseRecord(caseId);
    if (!record || record.supportCase.anonymisedAt) return false;
    const mask = personalDataMasker(record.supportCase.customer);
    const timeline = record.timeline
      .map((entry) => ({ entry, masked: maskTimelineEntry(entry, mask) }))
      .filter(({ entry, masked }) => JSON.stringify(entry) !== JSON.stringify(masked))
      .map(({ masked }) => masked);
    const notifications = record.notifications
      .filter((stored) => stored.recipient !== undefined || stored.data !== undefined)
      .map(
        (stored): MaskedNotification => ({
          notificationId: stored.notificationId,
          ...(stored.data ? { data: maskNotificationData(stored.data, mask) } : {}),
          settle: !settledStatuses.has(stored.status),
        }),
      );
    await deps.retention.maskCaseItems(caseId, timeline, notifications);
    await deps.retention.forgetContacts(record.supportCase);
    // Photos and documents cannot be masked: the customer's files go with the rest of their personal data.
    await deleteCaseAttachments(caseId, deps);
    const decide = (loaded: SupportCase, at: Date): CaseDecision => {
      if (loaded.anonymisedAt) return unchanged(loaded);
      const decision = anonymiseCase(loaded, at, reason);
      return { ...decision, notifications: lastWords(loaded, at.toISOString()) };
    };
    try {
      const { decision } = await changeCase(caseId, deps, decide, {
        loaded: record.supportCase,
        maxAttempts: 1,
      });
      return decision.timeline.length > 0;
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= maxAnonymiseAttempts) throw error;
    }
  }
}
