// What staff and customer actions share: taking a case for work, the status-change entry, who handles it.
import type { Team } from '../case-model.ts';
import { canApply, nextStatus } from '../case-status.ts';
import { InvalidTransition } from '../errors.ts';
import { assertMayDo, type StaffMember } from '../staff-permissions.ts';
import type { SupportCase } from '../support-case.ts';
import { customerText } from '../timeline-texts.ts';
import type { CaseDecisionBuilder } from './case-decision.ts';

/** Ids of what this action writes: the loaded version is unique per successful save. */
export function eventKey(kind: string, supportCase: Pick<SupportCase, 'version'>): string {
  return `${kind}.v${supportCase.version}`;
}

/** Work needs a taken case: an open case is taken by whoever acts on it first. */
export function takeForWork(
  supportCase: SupportCase,
  actor: StaffMember,
  attempted: string,
  decision: CaseDecisionBuilder,
): SupportCase {
  if (!canApply(supportCase.status, 'take')) throw new InvalidTransition(supportCase.status, attempted);
  if (supportCase.status === 'appealed') assertMayDo(actor, 'review_appeal');
  const status = nextStatus(supportCase.status, 'take');
  if (supportCase.handler !== null) {
    addStatusChange(decision, supportCase, status, actor.sub);
    return { ...supportCase, status };
  }
  const taken: SupportCase = {
    ...supportCase,
    status,
    handler: actor.sub,
    handlerEmail: actor.email,
    owner: supportCase.owner ?? actor.sub,
  };
  decision.add({
    kind: 'assigned',
    actor: actor.sub,
    message: assignmentText(supportCase, actor.sub, supportCase.team),
    internal: true,
    data: {
      handler: actor.sub,
      previousHandler: null,
      team: supportCase.team,
      previousTeam: supportCase.team,
      owner: taken.owner,
    },
  });
  addStatusChange(decision, supportCase, status, actor.sub);
  return taken;
}

export function handlerEmailFor(
  supportCase: SupportCase,
  handler: string | null,
  actor: StaffMember,
): string | undefined {
  if (handler === null) return undefined;
  if (handler === actor.sub) return actor.email;
  return handler === supportCase.handler ? supportCase.handlerEmail : undefined;
}

export function assignmentText(before: SupportCase, handler: string | null, team: Team): string {
  const parts: string[] = [];
  if (handler !== before.handler) parts.push(handler === null ? 'Handler cleared' : `Assigned to ${handler}`);
  if (team !== before.team) parts.push(`transferred from ${before.team} to ${team}`);
  return parts.join('; ') || `Assigned to ${handler}`;
}

export function addStatusChange(
  decision: CaseDecisionBuilder,
  before: SupportCase,
  status: SupportCase['status'],
  actor: string,
  reason?: string,
): void {
  if (status === before.status) return;
  const key =
    status === 'awaiting_customer'
      ? 'awaiting_customer'
      : before.status === 'appealed'
        ? 'review_started'
        : before.status === 'awaiting_customer'
          ? 'resumed'
          : 'in_progress';
  decision.add({
    kind: 'status_changed',
    actor,
    message: customerText(before.customer.locale, key),
    internal: false,
    data: { from: before.status, to: status, ...(reason ? { reason } : {}) },
  });
}
