// Staff escalate a case one level up: specialist → supervisor → manager.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export async function escalateCase(
  caseId: string,
  request: { reason: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'escalate');
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.escalateManually(loaded, {
      at: now,
      actor: staff,
      reason: request.reason,
      teamLeads: deps.teamLeads,
    }),
  );
  return caseActionResult(supportCase);
}
