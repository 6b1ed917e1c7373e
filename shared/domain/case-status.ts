// Case lifecycle (DOMAIN.md §2, API.md "Case statuses"): which action may move a case from which status.
import type { CaseStatus } from './case-model.ts';
import { InvalidTransition } from './errors.ts';

export const caseActions = [
  'classify',
  'take',
  'await_customer',
  'customer_replied',
  'resume',
  'resolve',
  'close',
  'appeal',
  'reopen_for_review',
] as const;
export type CaseAction = (typeof caseActions)[number];

/**
 * For each action, the statuses it may be applied in and the status it leads to.
 * A status missing from an action's row means the action is not allowed there.
 */
export const caseTransitions = {
  // Category, priority and team are set: the case waits in a team's queue.
  classify: { received: 'open' },
  // Assigning or a first reply starts work; on a case already being worked it is a hand-over and keeps the
  // status. An appealed case stays appealed when handed to a supervisor: the review starts with reopen_for_review.
  take: {
    open: 'in_progress',
    in_progress: 'in_progress',
    awaiting_customer: 'awaiting_customer',
    appealed: 'appealed',
  },
  await_customer: { in_progress: 'awaiting_customer' },
  // The customer may always add information while the case is still open; only a waiting case changes status.
  customer_replied: {
    received: 'received',
    open: 'open',
    in_progress: 'in_progress',
    awaiting_customer: 'in_progress',
    appealed: 'appealed',
  },
  resume: { awaiting_customer: 'in_progress' },
  // An open case must be taken first so that it has an owner (first-responsibility rule).
  resolve: { in_progress: 'resolved', awaiting_customer: 'resolved', appealed: 'resolved' },
  close: { resolved: 'closed' },
  appeal: { resolved: 'appealed', closed: 'appealed' },
  reopen_for_review: { appealed: 'in_progress' },
} as const satisfies Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>>;

const transitionTable: Readonly<Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>>> =
  caseTransitions;

function lookup(current: CaseStatus, action: CaseAction): CaseStatus | undefined {
  // Object.hasOwn keeps strings from untyped callers (e.g. 'toString') from reaching the prototype.
  const row = Object.hasOwn(transitionTable, action) ? transitionTable[action] : undefined;
  return row && Object.hasOwn(row, current) ? row[current] : undefined;
}

export function canApply(current: CaseStatus, action: CaseAction): boolean {
  return lookup(current, action) !== undefined;
}

/** The status after `action`; throws InvalidTransition when the action is not allowed in `current`. */
export function nextStatus(current: CaseStatus, action: CaseAction): CaseStatus {
  const next = lookup(current, action);
  if (next === undefined) throw new InvalidTransition(current, action);
  return next;
}

/** Every action allowed in `current`, in the order of `caseActions`. */
export function allowedActions(current: CaseStatus): CaseAction[] {
  return caseActions.filter((action) => canApply(current, action));
}

const dayMs = 86_400_000;
export const defaultAppealWindowDays = 365;

/**
 * A resolved or closed case may be appealed within the window (1 year, DOMAIN.md §2), counted from the
 * resolution; the last instant of the window still counts.
 */
export function canAppeal(
  status: CaseStatus,
  resolvedAt: string | null,
  now: Date,
  windowDays = defaultAppealWindowDays,
): boolean {
  if (!canApply(status, 'appeal') || resolvedAt === null) return false;
  const resolvedMs = Date.parse(resolvedAt);
  // An unreadable timestamp cannot prove the case is inside the window.
  if (Number.isNaN(resolvedMs)) return false;
  return now.getTime() - resolvedMs <= windowDays * dayMs;
}
