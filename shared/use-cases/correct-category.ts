// An agent corrects an inferred or given category; the case is routed again and its running clocks
// keep the time already used.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export async function correctCategory(
  caseId: string,
  request: { category: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'correct_category');
  const { sla } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.correctCategory(loaded, {
      at: now,
      actor: staff,
      category: request.category,
      sla,
    }),
  );
  return caseActionResult(supportCase);
}
