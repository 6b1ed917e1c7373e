// Staff record the handling plan, with any compensation and the rule that produced it.
import * as staffActions from '#domain/case/staff-actions';
import type { Money } from '#domain/case-model';
import { type CompensationSituation, proposeCompensation } from '#domain/compensation';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export async function recordPlan(
  caseId: string,
  request: { message: string; compensation?: Money; situation?: CompensationSituation },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'plan');
  const { compensation } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.recordPlan(loaded, {
      at: now,
      actor: staff,
      message: request.message,
      compensation: proposeCompensation(request, loaded.shipment, compensation),
      compensationPolicy: compensation,
    }),
  );
  return caseActionResult(supportCase);
}
