// Staff resolve a case: the written result to the customer, then the survey after a delay.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';
import { type OfferRequest, proposeOffer } from './propose-remedy.ts';

export async function resolveCase(
  caseId: string,
  request: OfferRequest & { resolution: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'resolve');
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.resolveCase(loaded, {
      at: now,
      actor: staff,
      resolution: request.resolution,
      ...proposeOffer(request, loaded, now, deps),
      compensationPolicy: deps.compensationPolicy,
      surveyDelayMs: deps.surveyDelayMs,
    }),
  );
  return caseActionResult(supportCase);
}
