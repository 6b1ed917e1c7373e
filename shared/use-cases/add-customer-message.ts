// The customer adds information to their case; a case waiting for them resumes. Only the case's own
// token counts against its daily message limit, so nobody else can spend it.
import * as customerActions from '#domain/case/customer-actions';
import { requireWithinLimits } from './abuse-limits.ts';
import { type CustomerCaseResult, changeCaseAsCustomer, openCaseAsCustomer } from './customer-access.ts';
import type { Dependencies } from './ports.ts';

export async function addCustomerMessage(
  caseId: string,
  token: string | undefined,
  request: { message: string },
  deps: Dependencies,
): Promise<CustomerCaseResult> {
  const loaded = await openCaseAsCustomer(caseId, token, deps);
  await requireWithinLimits(deps, deps.clock.now(), [{ limit: 'case_messages_per_day', scope: caseId }]);
  return changeCaseAsCustomer(
    caseId,
    token,
    deps,
    (supportCase, now) =>
      customerActions.addCustomerMessage(supportCase, { at: now, message: request.message }),
    loaded,
  );
}
