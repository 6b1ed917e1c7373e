// Staff record the handling plan, with any compensation and the rule that produced it.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';
import { type OfferRequest, proposeOffer } from './propose-remedy.ts';

export async function recordPlan(
  caseId: string,
  request: OfferRequest & { message: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'plan');
  const { compensation, sla } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.recordPlan(loaded, {
      at: now,
      actor: staff,
      message: request.message,
      ...proposeOffer(request, loaded, now, { compensationPolicy: compensation, calendar: sla.calendar }),
      compensationPolicy: compensation,
    }),
  );
  return caseActionResult(supportCase);
}
