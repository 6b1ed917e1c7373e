// A customer opens their case with its token. A wrong token and an unknown case look the same.

import { tokenMatches } from '#domain/case-token';
import { NotFound } from '#domain/errors';
import { channelOfEntry } from '#domain/inbound-messages';
import type { SupportCase, TimelineEntry } from '#domain/support-case';
import { customerAttachments } from './attachments.ts';
import type { Dependencies } from './ports.ts';

export async function loadCaseForCustomer(
  caseId: string,
  token: string | undefined,
  deps: Pick<Dependencies, 'cases'>,
): Promise<{ supportCase: SupportCase; timeline: TimelineEntry[] }> {
  const found = token ? await deps.cases.getCaseWithTimeline(caseId) : null;
  if (!found || !token || !tokenMatches(token, found.supportCase.accessTokenHash)) {
    throw new NotFound('No case with this id and token');
  }
  return found;
}

/** Only what the customer may see: no internal notes, staff identities or other customers' data. */
export function customerView(supportCase: SupportCase, timeline: TimelineEntry[]) {
  return {
    caseId: supportCase.caseId,
    type: supportCase.type,
    category: supportCase.category,
    status: supportCase.status,
    subject: supportCase.subject,
    /** The language the customer wrote in, for the case page (added with the pages, optional). */
    locale: supportCase.customer.locale,
    createdAt: supportCase.createdAt,
    updatedAt: supportCase.updatedAt,
    deadlines: supportCase.deadlines,
    linkedCaseIds: supportCase.linkedCaseIds,
    timeline: timeline
      .filter((entry) => !entry.internal)
      .sort((a, b) => a.entryId.localeCompare(b.entryId))
      .map((entry) => {
        const channel = channelOfEntry(entry);
        return { at: entry.at, kind: entry.kind, message: entry.message, ...(channel ? { channel } : {}) };
      }),
    ...(supportCase.forceMajeure ? { forceMajeure: true as const } : {}),
    ...(supportCase.remedy ? { remedy: supportCase.remedy } : {}),
    ...(supportCase.incidentId ? { incidentId: supportCase.incidentId } : {}),
  };
}

export async function viewCustomerCase(
  caseId: string,
  token: string | undefined,
  deps: Pick<Dependencies, 'cases' | 'attachments'>,
) {
  const { supportCase, timeline } = await loadCaseForCustomer(caseId, token, deps);
  return { ...customerView(supportCase, timeline), attachments: await customerAttachments(caseId, deps) };
}
