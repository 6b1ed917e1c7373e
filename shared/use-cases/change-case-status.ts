// Staff set a case to wait for the customer (pauses the work clocks) or take it up again.
import * as staffActions from '#domain/case/staff-actions';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { caseActionResult } from './agent-views.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';

export async function changeCaseStatus(
  caseId: string,
  request: { status: 'awaiting_customer' | 'in_progress'; reason?: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'change_status');
  const { supportCase } = await changeCase(caseId, deps, (loaded, now) =>
    staffActions.changeStatus(loaded, { at: now, actor: staff, ...request }),
  );
  return caseActionResult(supportCase);
}
