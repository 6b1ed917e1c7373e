// Staff open a case: the whole case with its audit trail. Contact details are in clear for the case's owner
// and handler, its team's agents and supervisors and above (seesContactOf); anyone else sees them masked
// unless they reveal them with a reason. Every read in clear is itself written to the trail (DOMAIN.md §9),
// with its reason when one was given; masked reads are not.
import { contactViewedEntry } from '#domain/case/staff-actions';
import { Forbidden, NotFound } from '#domain/errors';
import { assertMayDo, mayRevealContact, type StaffMember, seesContactOf } from '#domain/staff-permissions';
import { agentCaseView } from './agent-views.ts';
import { staffAttachments } from './attachments.ts';
import type { Dependencies } from './ports.ts';

export interface AgentCaseRequest {
  /** Ask for the contact details in clear, with `reason`. */
  reveal?: 'contact';
  reason?: string;
}

export async function viewAgentCase(
  caseId: string,
  staff: StaffMember,
  deps: Dependencies,
  request: AgentCaseRequest = {},
) {
  assertMayDo(staff, 'view_case');
  const found = await deps.cases.getCaseWithTimeline(caseId);
  if (!found) throw new NotFound('No case with this id');
  const entitled = seesContactOf(staff, found.supportCase);
  if (request.reveal === 'contact' && !entitled && !mayRevealContact(staff)) {
    throw new Forbidden('Auditors see contact details masked');
  }
  const masked = !entitled && request.reveal !== 'contact';
  const timeline = [...found.timeline];
  if (!masked) {
    // Written before the details leave, so no read goes unrecorded.
    const entry = contactViewedEntry(deps.clock.now(), staff, request.reason);
    await deps.cases.addTimelineEntry(caseId, entry);
    timeline.push(entry);
  }
  return {
    ...agentCaseView(found.supportCase, timeline, { masked }),
    attachments: await staffAttachments(caseId, staff, deps),
  };
}
