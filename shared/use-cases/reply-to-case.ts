// Staff answer a case: a public reply reaches the customer; an internal note stays with staff.
import * as lifecycle from '#domain/case-lifecycle';
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
    lifecycle.replyToCase(loaded, { at: now, actor: staff, ...request }),
  );
  return caseActionResult(supportCase);
}
