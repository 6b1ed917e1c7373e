// A supervisor closes a resolved case without waiting for the customer's feedback.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export async function closeCase(caseId: string, staff: StaffMember, deps: Dependencies) {
  assertMayDo(staff, 'close');
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.closeCase(loaded, { at: now, actor: staff }),
  );
  return caseActionResult(supportCase);
}
