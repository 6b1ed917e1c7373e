// Staff take a case or hand it over to a colleague (first-responsibility rule).
import * as staffActions from '#domain/case/staff-actions';
import type { Team } from '#domain/case-model';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export async function assignCase(
  caseId: string,
  request: { assignee?: string; team?: Team },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'assign');
  const { sla } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.assignCase(loaded, {
      at: now,
      actor: staff,
      ...request,
      sla,
    }),
  );
  return caseActionResult(supportCase);
}
