// The customer answers the survey: once per case, for resolved or closed cases.
import * as customerActions from '#domain/case/customer-actions';
import { type CustomerCaseResult, changeCaseAsCustomer } from './customer-access.ts';
import type { Dependencies } from './ports.ts';

export function giveFeedback(
  caseId: string,
  token: string | undefined,
  request: { score: number; nps?: number; comment?: string },
  deps: Dependencies,
): Promise<CustomerCaseResult> {
  return changeCaseAsCustomer(caseId, token, deps, (loaded, now) =>
    customerActions.giveFeedback(loaded, { at: now, ...request }),
  );
}
