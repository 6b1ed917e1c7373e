// Staff resolve a case: the written result to the customer, then the survey after a delay.
import * as staffActions from '#domain/case/staff-actions';
import type { Money } from '#domain/case-model';
import { type CompensationSituation, proposeCompensation } from '#domain/compensation';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export async function resolveCase(
  caseId: string,
  request: { resolution: string; compensation?: Money; situation?: CompensationSituation },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'resolve');
  const { compensation } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.resolveCase(loaded, {
      at: now,
      actor: staff,
      resolution: request.resolution,
      compensation: proposeCompensation(request, loaded.shipment, compensation),
      compensationPolicy: compensation,
      surveyDelayMs: deps.surveyDelayMs,
    }),
  );
  return caseActionResult(supportCase);
}
