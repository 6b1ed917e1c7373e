// Who may do what (API.md, agent routes): the role table as data, checked once per route.
// Roles come only from the authorizer's claims; a member may hold several groups.
import { Forbidden } from './errors.ts';

export const staffRoles = ['agent', 'supervisor', 'manager', 'auditor'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffMember {
  sub: string;
  roles: StaffRole[];
  email?: string;
  /** The teams the member works in (the staff pool's `custom:team` attribute); none when absent. */
  teams?: readonly string[];
}

export const staffActions = [
  'list_cases',
  'view_case',
  'assign',
  'reply',
  'plan',
  'change_status',
  'escalate',
  'resolve',
  'close',
  'correct_category',
  'view_reports',
  /** Compensation above the approval limit (DOMAIN.md §6). */
  'approve_compensation',
  /** Work on an appealed case, which goes back under a supervisor (DOMAIN.md §2). */
  'review_appeal',
  /** Set a customer's tier (DOMAIN.md §3): managers only. */
  'set_customer_tier',
  /** Declare, update and close incidents (API.md, "Added in the second round"). */
  'manage_incidents',
  'view_incidents',
] as const;
export type StaffAction = (typeof staffActions)[number];

const everyone: readonly StaffRole[] = ['agent', 'supervisor', 'manager', 'auditor'];
const agentAndUp: readonly StaffRole[] = ['agent', 'supervisor', 'manager'];
const supervisorAndUp: readonly StaffRole[] = ['supervisor', 'manager'];

/** Auditors appear only in read rows: every write they try is a 403. */
export const rolePermissions: Readonly<Record<StaffAction, readonly StaffRole[]>> = {
  list_cases: everyone,
  view_case: everyone,
  assign: agentAndUp,
  reply: agentAndUp,
  plan: agentAndUp,
  change_status: agentAndUp,
  escalate: agentAndUp,
  resolve: agentAndUp,
  close: supervisorAndUp,
  correct_category: agentAndUp,
  view_reports: ['supervisor', 'manager', 'auditor'],
  approve_compensation: supervisorAndUp,
  review_appeal: supervisorAndUp,
  set_customer_tier: ['manager'],
  manage_incidents: ['manager'],
  view_incidents: everyone,
};

export function mayDo(staff: Pick<StaffMember, 'roles'>, action: StaffAction): boolean {
  const allowed = Object.hasOwn(rolePermissions, action) ? rolePermissions[action] : [];
  return staff.roles.some((role) => allowed.includes(role));
}

export function assertMayDo(staff: Pick<StaffMember, 'roles'>, action: StaffAction): void {
  if (!mayDo(staff, action)) throw new Forbidden(`Your role may not ${action.replaceAll('_', ' ')}`);
}

/** Contact details are shown in clear only to those who work cases; an auditor alone sees them masked. */
export function seesContactDetails(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((role) => agentAndUp.includes(role));
}

/**
 * Clear contact details of one case, without a reason: its owner or handler, an agent of its team, and
 * supervisors and above. Anyone else (an agent of another team, an auditor) gets the masked view.
 */
export function seesContactOf(
  staff: StaffMember,
  supportCase: { owner?: string | null; handler?: string | null; team: string },
): boolean {
  if (staff.roles.some((role) => supervisorAndUp.includes(role))) return true;
  if (!staff.roles.some((role) => agentAndUp.includes(role))) return false;
  return (
    staff.sub === supportCase.owner ||
    staff.sub === supportCase.handler ||
    (staff.teams ?? []).includes(supportCase.team)
  );
}

/**
 * Who may read the details in clear by giving a reason (it goes on the audit trail): anyone who works cases.
 * An auditor who is nothing else never does (API.md: auditors see contact details masked).
 */
export function mayRevealContact(staff: Pick<StaffMember, 'roles'>): boolean {
  return seesContactDetails(staff);
}
