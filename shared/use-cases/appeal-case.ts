// The customer appeals the result: back to a supervisor with a new deadline.
import * as customerActions from '#domain/case/customer-actions';
import { type CustomerCaseResult, changeCaseAsCustomer } from './customer-access.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export async function appealCase(
  caseId: string,
  token: string | undefined,
  request: { reason: string },
  deps: Dependencies,
): Promise<CustomerCaseResult> {
  const { policy, sla } = await policyInForce(deps);
  return changeCaseAsCustomer(caseId, token, deps, (loaded, now) =>
    customerActions.appealCase(loaded, {
      at: now,
      reason: request.reason,
      sla,
      teamLeads: deps.teamLeads,
      appealWindowDays: policy.windows.appealDays,
    }),
  );
}
