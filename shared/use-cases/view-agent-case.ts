// Staff open a case: the whole case with its audit trail. A read of the full contact details is
// itself written to the trail (DOMAIN.md §9); auditors see them masked, so their reads are not.
import { contactViewedEntry } from '#domain/case/staff-actions';
import { NotFound } from '#domain/errors';
import { assertMayDo, type StaffMember, seesContactDetails } from '#domain/staff-permissions';
import { agentCaseView } from './agent-views.ts';
import { staffAttachments } from './attachments.ts';
import type { Dependencies } from './ports.ts';

export async function viewAgentCase(caseId: string, staff: StaffMember, deps: Dependencies) {
  assertMayDo(staff, 'view_case');
  const found = await deps.cases.getCaseWithTimeline(caseId);
  if (!found) throw new NotFound('No case with this id');
  const masked = !seesContactDetails(staff);
  const timeline = [...found.timeline];
  if (!masked) {
    // Written before the details leave, so no read goes unrecorded.
    const entry = contactViewedEntry(deps.clock.now(), staff);
    await deps.cases.addTimelineEntry(caseId, entry);
    timeline.push(entry);
  }
  return {
    ...agentCaseView(found.supportCase, timeline, { masked }),
    attachments: await staffAttachments(caseId, staff, deps),
  };
}
