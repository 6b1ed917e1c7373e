// Staff answer a case: a public reply reaches the customer; an internal note stays with staff.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export async function replyToCase(
  caseId: string,
  request: { message: string; internal: boolean },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'reply');
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.replyToCase(loaded, { at: now, actor: staff, ...request }),
  );
  return caseActionResult(supportCase);
}
