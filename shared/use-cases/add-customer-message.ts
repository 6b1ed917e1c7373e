// The customer adds information to their case; a case waiting for them resumes.
import * as customerActions from '#domain/case/customer-actions';
import { type CustomerCaseResult, changeCaseAsCustomer } from './customer-access.ts';
import type { Dependencies } from './ports.ts';

export function addCustomerMessage(
  caseId: string,
  token: string | undefined,
  request: { message: string },
  deps: Dependencies,
): Promise<CustomerCaseResult> {
  return changeCaseAsCustomer(caseId, token, deps, (loaded, now) =>
    customerActions.addCustomerMessage(loaded, { at: now, message: request.message }),
  );
}
