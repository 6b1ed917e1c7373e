// What a customer does to their case with its token: add information, answer the survey, appeal.
// A wrong token and an unknown case look the same (NotFound).
import * as lifecycle from '#domain/case-lifecycle';
import { tokenMatches } from '#domain/case-token';
import { NotFound } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

const notFound = 'No case with this id and token';

function tokenCheck(token: string | undefined) {
  return (supportCase: SupportCase) => {
    if (!token || !tokenMatches(token, supportCase.accessTokenHash)) throw new NotFound(notFound);
  };
}

function customerResult(supportCase: SupportCase) {
  return { caseId: supportCase.caseId, status: supportCase.status, deadlines: supportCase.deadlines };
}

/** The customer adds information: a case waiting for the customer resumes. */
export async function addCustomerMessage(
  caseId: string,
  token: string | undefined,
  request: { message: string },
  deps: Dependencies,
) {
  if (!token) throw new NotFound(notFound);
  const { supportCase } = await changeCase(
    caseId,
    deps,
    (loaded, now) => lifecycle.addCustomerMessage(loaded, { at: now, message: request.message }),
    { notFound, authorize: tokenCheck(token) },
  );
  return customerResult(supportCase);
}

/** The customer answers the survey: once per case, for resolved or closed cases. */
export async function giveFeedback(
  caseId: string,
  token: string | undefined,
  request: { score: number; nps?: number; comment?: string },
  deps: Dependencies,
) {
  if (!token) throw new NotFound(notFound);
  const { supportCase } = await changeCase(
    caseId,
    deps,
    (loaded, now) => lifecycle.giveFeedback(loaded, { at: now, ...request }),
    { notFound, authorize: tokenCheck(token) },
  );
  return customerResult(supportCase);
}

/** The customer appeals the result: back to a supervisor with a new deadline. */
export async function appealCase(
  caseId: string,
  token: string | undefined,
  request: { reason: string },
  deps: Dependencies,
) {
  if (!token) throw new NotFound(notFound);
  const { supportCase } = await changeCase(
    caseId,
    deps,
    (loaded, now) =>
      lifecycle.appealCase(loaded, {
        at: now,
        reason: request.reason,
        sla: { calendar: deps.calendar, policy: deps.slaPolicy },
        teamLeads: deps.teamLeads,
      }),
    { notFound, authorize: tokenCheck(token) },
  );
  return customerResult(supportCase);
}
