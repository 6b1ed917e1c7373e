import { describe, expect, it } from 'vitest';
import { type CaseStatus, caseStatuses } from '#domain/case-model';
import {
  allowedActions,
  type CaseAction,
  canAppeal,
  canApply,
  caseActions,
  caseTransitions,
  nextStatus,
} from '#domain/case-status';
import { InvalidTransition } from '#domain/errors';

// The rules restated independently of the module's table, so a slip in either one shows up.
const allowed: [CaseStatus, CaseAction, CaseStatus][] = [
  ['received', 'classify', 'open'],
  ['open', 'take', 'in_progress'],
  ['in_progress', 'take', 'in_progress'],
  ['awaiting_customer', 'take', 'awaiting_customer'],
  ['appealed', 'take', 'appealed'],
  ['in_progress', 'await_customer', 'awaiting_customer'],
  ['awaiting_customer', 'customer_replied', 'in_progress'],
  ['received', 'customer_replied', 'received'],
  ['open', 'customer_replied', 'open'],
  ['in_progress', 'customer_replied', 'in_progress'],
  ['appealed', 'customer_replied', 'appealed'],
  ['awaiting_customer', 'resume', 'in_progress'],
  ['in_progress', 'resolve', 'resolved'],
  ['awaiting_customer', 'resolve', 'resolved'],
  ['appealed', 'resolve', 'resolved'],
  ['resolved', 'close', 'closed'],
  ['resolved', 'appeal', 'appealed'],
  ['closed', 'appeal', 'appealed'],
  ['appealed', 'reopen_for_review', 'in_progress'],
];

const isAllowed = (status: CaseStatus, action: CaseAction) =>
  allowed.some(([s, a]) => s === status && a === action);
const disallowed = caseStatuses.flatMap((status) =>
  caseActions.filter((action) => !isAllowed(status, action)).map((action) => [status, action] as const),
);

describe('case status transitions', () => {
  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    expect(canApply(from, action)).toBe(true);
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each(disallowed)('refuses to %2$s a case that is %1$s', (status, action) => {
    expect(canApply(status, action)).toBe(false);
    expect(() => nextStatus(status, action)).toThrow(InvalidTransition);
  });

  it('covers every status × action pair exactly once between the two tables', () => {
    expect(allowed.length + disallowed.length).toBe(caseStatuses.length * caseActions.length);
  });

  it('the documented table allows exactly the rules above', () => {
    const fromTable = Object.entries(caseTransitions).flatMap(([action, row]) =>
      Object.entries(row).map(([from, to]) => `${from} ${action} ${to}`),
    );
    expect(fromTable.sort()).toEqual(allowed.map(([from, action, to]) => `${from} ${action} ${to}`).sort());
  });

  describe('rules worth naming', () => {
    it('an open case must be taken before it can be resolved', () => {
      expect(() => nextStatus('open', 'resolve')).toThrow(InvalidTransition);
      expect(nextStatus(nextStatus('open', 'take'), 'resolve')).toBe('resolved');
    });

    it('an open case cannot wait for the customer before anyone works on it', () => {
      expect(canApply('open', 'await_customer')).toBe(false);
    });

    it('a customer reply resumes a waiting case', () => {
      expect(nextStatus('awaiting_customer', 'customer_replied')).toBe('in_progress');
    });

    it('a customer message on a resolved or closed case is not a transition (they appeal instead)', () => {
      expect(() => nextStatus('resolved', 'customer_replied')).toThrow(InvalidTransition);
      expect(() => nextStatus('closed', 'customer_replied')).toThrow(InvalidTransition);
      expect(nextStatus('closed', 'appeal')).toBe('appealed');
    });

    it('an appeal goes back to work under review and can be resolved again', () => {
      const reviewing = nextStatus(nextStatus('closed', 'appeal'), 'reopen_for_review');
      expect(reviewing).toBe('in_progress');
      expect(nextStatus(reviewing, 'resolve')).toBe('resolved');
      expect(nextStatus('appealed', 'resolve')).toBe('resolved');
    });

    it('only a resolved case can be closed', () => {
      expect(caseStatuses.filter((status) => canApply(status, 'close'))).toEqual(['resolved']);
    });

    it('a closed case cannot be resolved, taken or classified again', () => {
      for (const action of ['resolve', 'take', 'classify'] as const)
        expect(canApply('closed', action)).toBe(false);
    });
  });

  it('names the current status and the attempted action in the error', () => {
    const error = (() => {
      try {
        nextStatus('open', 'resolve');
      } catch (e) {
        return e;
      }
    })() as InvalidTransition;
    expect(error).toBeInstanceOf(InvalidTransition);
    expect(error.code).toBe('invalid_transition');
    expect(error.currentStatus).toBe('open');
    expect(error.message).toBe('Cannot resolve a case that is open');
    expect(error.details).toEqual([{ path: 'status', message: 'open' }]);
  });

  it('refuses actions unknown at run time instead of reading the prototype', () => {
    expect(canApply('open', 'toString' as CaseAction)).toBe(false);
    expect(canApply('constructor' as CaseStatus, 'take')).toBe(false);
  });

  it('lists the actions allowed in a status', () => {
    expect(allowedActions('received')).toEqual(['classify', 'customer_replied']);
    expect(allowedActions('awaiting_customer')).toEqual(['take', 'customer_replied', 'resume', 'resolve']);
    expect(allowedActions('closed')).toEqual(['appeal']);
  });
});

describe('appeal window', () => {
  const resolvedAt = '2026-03-01T00:00:00.000Z';
  const daysAfter = (days: number, extraMs = 0) =>
    new Date(Date.parse(resolvedAt) + days * 86_400_000 + extraMs);

  it.each(['resolved', 'closed'] as const)(
    'a %s case can be appealed within a year of resolution',
    (status) => {
      expect(canAppeal(status, resolvedAt, daysAfter(30))).toBe(true);
    },
  );

  it('the last instant of the 365th day still counts; one millisecond later does not', () => {
    expect(canAppeal('closed', resolvedAt, daysAfter(365))).toBe(true);
    expect(canAppeal('closed', resolvedAt, daysAfter(365, 1))).toBe(false);
  });

  it('honours a configured window', () => {
    expect(canAppeal('resolved', resolvedAt, daysAfter(31), 30)).toBe(false);
    expect(canAppeal('resolved', resolvedAt, daysAfter(30), 30)).toBe(true);
  });

  it.each(caseStatuses.filter((s) => s !== 'resolved' && s !== 'closed'))(
    'a %s case cannot be appealed',
    (status) => {
      expect(canAppeal(status, resolvedAt, daysAfter(1))).toBe(false);
    },
  );

  it('a case without a resolution time cannot be appealed', () => {
    expect(canAppeal('resolved', null, daysAfter(1))).toBe(false);
  });

  it('an unreadable resolution time does not open the window', () => {
    expect(canAppeal('resolved', 'not a date', daysAfter(1))).toBe(false);
  });
});
