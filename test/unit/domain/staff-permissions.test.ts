import { describe, expect, it } from 'vitest';
import { Forbidden } from '#domain/errors';
import {
  assertMayDo,
  mayDo,
  type StaffAction,
  type StaffRole,
  seesContactDetails,
  staffActions,
} from '#domain/staff-permissions';

// API.md's role table, restated independently of the module's data.
const table: Record<StaffAction, StaffRole[]> = {
  list_cases: ['agent', 'supervisor', 'manager', 'auditor'],
  view_case: ['agent', 'supervisor', 'manager', 'auditor'],
  assign: ['agent', 'supervisor', 'manager'],
  reply: ['agent', 'supervisor', 'manager'],
  plan: ['agent', 'supervisor', 'manager'],
  change_status: ['agent', 'supervisor', 'manager'],
  escalate: ['agent', 'supervisor', 'manager'],
  resolve: ['agent', 'supervisor', 'manager'],
  correct_category: ['agent', 'supervisor', 'manager'],
  close: ['supervisor', 'manager'],
  approve_compensation: ['supervisor', 'manager'],
  review_appeal: ['supervisor', 'manager'],
  view_reports: ['supervisor', 'manager', 'auditor'],
  set_customer_tier: ['manager'],
  manage_incidents: ['manager'],
  view_incidents: ['agent', 'supervisor', 'manager', 'auditor'],
};
const roles: StaffRole[] = ['agent', 'supervisor', 'manager', 'auditor'];
const rows = staffActions.flatMap((action) =>
  roles.map((role) => [action, role, table[action].includes(role)] as const),
);

describe('the role table', () => {
  it.each(rows)('%s by %s: allowed = %s', (action, role, allowed) => {
    expect(mayDo({ roles: [role] }, action)).toBe(allowed);
    if (allowed) expect(() => assertMayDo({ roles: [role] }, action)).not.toThrow();
    else expect(() => assertMayDo({ roles: [role] }, action)).toThrow(Forbidden);
  });

  it('refuses every write to an auditor', () => {
    const writes = staffActions.filter(
      (action) => !['list_cases', 'view_case', 'view_reports', 'view_incidents'].includes(action),
    );
    for (const action of writes) expect(mayDo({ roles: ['auditor'] }, action)).toBe(false);
  });

  it('refuses everything to a token without a known group', () => {
    for (const action of staffActions) expect(mayDo({ roles: [] }, action)).toBe(false);
  });

  it('grants what any of several groups grants', () => {
    expect(mayDo({ roles: ['auditor', 'supervisor'] }, 'close')).toBe(true);
  });
});

describe('contact details', () => {
  it.each([
    [['agent'], true],
    [['supervisor'], true],
    [['manager'], true],
    [['auditor'], false],
    [['auditor', 'agent'], true],
  ] as [StaffRole[], boolean][])('are shown in clear to %j: %s', (groups, clear) => {
    expect(seesContactDetails({ roles: groups })).toBe(clear);
  });
});
