// Staff resolve a case: the written result to the customer, then the survey after a delay.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';
import { type OfferRequest, proposeOffer } from './propose-remedy.ts';

export async function resolveCase(
  caseId: string,
  request: OfferRequest & { resolution: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'resolve');
  const { compensation, sla } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.resolveCase(loaded, {
      at: now,
      actor: staff,
      resolution: request.resolution,
      ...proposeOffer(request, loaded, now, { compensationPolicy: compensation, calendar: sla.calendar }),
      compensationPolicy: compensation,
      surveyDelayMs: deps.surveyDelayMs,
    }),
  );
  return caseActionResult(supportCase);
}
