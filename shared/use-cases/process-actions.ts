// Staff act on the processes (README "Processes"): returns and re-sends, problem kinds, force majeure, and
// the redo of an appeal answer. Each loads the case, lets the domain decide and saves in one transaction.

import type { SlaSettings } from '#domain/case/case-clocks';
import type { CaseDecision } from '#domain/case/case-decision';
import * as processActions from '#domain/case/process-actions';
import type { ParcelReturnKind, ProblemKind } from '#domain/processes';
import { assertMayDo, type StaffAction, type StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

type Decide = (
  loaded: SupportCase,
  context: { at: Date; actor: StaffMember; sla: SlaSettings },
) => CaseDecision;

async function act(
  caseId: string,
  staff: StaffMember,
  action: StaffAction,
  deps: Dependencies,
  decide: Decide,
) {
  assertMayDo(staff, action);
  const { sla } = await policyInForce(deps);
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    decide(loaded, { at: now, actor: staff, sla }),
  );
  return caseActionResult(supportCase);
}

export function recordParcelReturn(
  caseId: string,
  request: { step: 'start'; kind: ParcelReturnKind; note?: string } | { step: 'done'; note?: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  return act(caseId, staff, 'plan', deps, (loaded, context) =>
    request.step === 'start'
      ? processActions.startParcelReturn(loaded, { ...context, ...request })
      : processActions.completeParcelReturn(loaded, { ...context, ...request }),
  );
}

export function classifyProblem(
  caseId: string,
  request: { problem: ProblemKind | null },
  staff: StaffMember,
  deps: Dependencies,
) {
  return act(caseId, staff, 'correct_category', deps, (loaded, context) =>
    processActions.classifyProblem(loaded, { ...context, problem: request.problem }),
  );
}

export function recordCause(
  caseId: string,
  request: { forceMajeure: boolean; reason: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  return act(caseId, staff, 'plan', deps, (loaded, context) =>
    processActions.recordCause(loaded, { ...context, ...request }),
  );
}

export function orderAppealRedo(
  caseId: string,
  request: { reason: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  return act(caseId, staff, 'review_appeal', deps, (loaded, context) =>
    processActions.orderAppealRedo(loaded, { ...context, reason: request.reason }),
  );
}
