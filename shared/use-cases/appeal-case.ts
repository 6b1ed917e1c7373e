// The customer appeals the result: back to a supervisor with a new deadline.
import * as customerActions from '#domain/case/customer-actions';
import { type CustomerCaseResult, changeCaseAsCustomer } from './customer-access.ts';
import type { Dependencies } from './ports.ts';

export function appealCase(
  caseId: string,
  token: string | undefined,
  request: { reason: string },
  deps: Dependencies,
): Promise<CustomerCaseResult> {
  return changeCaseAsCustomer(caseId, token, deps, (loaded, now) =>
    customerActions.appealCase(loaded, {
      at: now,
      reason: request.reason,
      sla: { calendar: deps.calendar, policy: deps.slaPolicy },
      teamLeads: deps.teamLeads,
    }),
  );
}
