// What every customer action on a case shares: the case token is the key, and a wrong token and an unknown
// case look the same (not found), so a token cannot be used to probe which case ids exist.
import { tokenMatches } from '#domain/case-token';
import { NotFound } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import { type CaseChangeOptions, changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export const caseNotFound = 'No case with this id and token';

export interface CustomerCaseResult {
  caseId: string;
  status: SupportCase['status'];
  deadlines: SupportCase['deadlines'];
}

/** The unit of work of a customer action: the token opens the case, and the answer shows its status and deadlines. */
export async function changeCaseAsCustomer(
  caseId: string,
  token: string | undefined,
  deps: Dependencies,
  decide: Parameters<typeof changeCase>[2],
  loaded?: SupportCase,
): Promise<CustomerCaseResult> {
  if (!token) throw new NotFound(caseNotFound);
  const options: CaseChangeOptions = { notFound: caseNotFound, authorize: tokenCheck(token), loaded };
  const { supportCase } = await changeCase(caseId, deps, decide, options);
  return { caseId: supportCase.caseId, status: supportCase.status, deadlines: supportCase.deadlines };
}

/** The case the token opens, or not found. */
export async function openCaseAsCustomer(
  caseId: string,
  token: string | undefined,
  deps: Dependencies,
): Promise<SupportCase> {
  if (!token) throw new NotFound(caseNotFound);
  const supportCase = await deps.cases.getCase(caseId);
  if (!supportCase) throw new NotFound(caseNotFound);
  tokenCheck(token)(supportCase);
  return supportCase;
}

function tokenCheck(token: string) {
  return (supportCase: SupportCase) => {
    if (!tokenMatches(token, supportCase.accessTokenHash)) throw new NotFound(caseNotFound);
  };
}
