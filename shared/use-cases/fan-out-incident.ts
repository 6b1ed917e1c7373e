// One page of an incident's fan-out, as the incident-fanout queue hands it over: link the open cases of a
// page of waybills, or tell the linked cases or the contacts of a page about one round (or resolve the
// linked cases on a close). Every notice has a deterministic id (incident, round, recipient), so a page
// worked twice writes, queues and sends nothing twice; its count goes to `queued` once, by marker. A notice
// due now is written outside the outbox index and handed to the notification queue by the page itself: a
// failed hand-off fails the page, whose message retries it (then dead-letters, alarmed). So the per-minute
// sweep never re-queues thousands of notices that are only waiting their turn in the queue.
import { unchanged } from '#domain/case/case-decision';
import * as staffActions from '#domain/case/staff-actions';
import type { CompensationPolicy } from '#domain/compensation';
import {
  caseNotices,
  contactOwnerId,
  type Incident,
  type IncidentRound,
  incidentNotice,
  isOpenCase,
  linkOpenCase,
} from '#domain/incident';
import type { StaffRole } from '#domain/staff-permissions';
import type { NotificationIntent, SupportCase } from '#domain/support-case';
import { changeCase } from './change-case.ts';
import type { IncidentFanoutMessage } from './manage-incidents.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';
import { handOffNotifications } from './queue-notifications.ts';

/** Cases of a page worked at once: each is its own load–decide–save. */
const caseConcurrency = 5;

export interface WorkedPage {
  linkedCaseIds: string[];
  /** Notices of this page in the outbox, whichever attempt wrote them. */
  queued: number;
}

export async function workIncidentPage(
  message: IncidentFanoutMessage,
  deps: Dependencies,
): Promise<WorkedPage> {
  const { incidentId, round: roundNumber, part, page } = message;
  const [incident, round] = await Promise.all([
    deps.incidents.getIncident(incidentId),
    deps.incidents.getRound(incidentId, roundNumber),
  ]);
  if (!incident || !round) {
    deps.logger.warn('Fan-out for an unknown incident or round', { incidentId, round: roundNumber });
    return { linkedCaseIds: [], queued: 0 };
  }
  const worked =
    part === 'scope'
      ? await linkPage(incident, round, page, deps)
      : part === 'links'
        ? await tellLinkedPage(incident, round, page, deps)
        : await tellContactPage(incident, round, page, deps);
  // Counted from what is in the outbox, not from what this attempt wrote: a retry counts the same page.
  const queued = await deps.incidents.countExisting(worked.notices);
  await deps.incidents.countQueued(incidentId, `${roundNumber}:${part}:${page}`, queued);
  return { linkedCaseIds: worked.linkedCaseIds, queued };
}

interface PageWork {
  linkedCaseIds: string[];
  notices: Array<Pick<NotificationIntent, 'caseId' | 'notificationId'>>;
}

/** The declaration: index the page's waybills for intake, then link and tell their open cases. */
async function linkPage(incident: Incident, round: IncidentRound, page: number, deps: Dependencies) {
  const { incidentId } = incident;
  const waybills = await deps.incidents.getScopePage(incidentId, page);
  // Indexed first: a case that reaches intake from now on links itself; one already past it is found below.
  await deps.incidents.indexWaybills(incidentId, page, waybills);
  const caseIds = (await inBatches(waybills, (waybill) => deps.incidents.caseIdsOfWaybill(waybill))).flat();
  const open = (await deps.cases.getCases(caseIds)).filter(
    (supportCase) =>
      isOpenCase(supportCase) && (!supportCase.incidentId || supportCase.incidentId === incidentId),
  );
  const linked = await inBatches(open, async (found) => {
    // The link item before the case: an update reaches every case that may carry the incident's id.
    await deps.incidents.addLink(incidentId, page, found.caseId);
    const { supportCase } = await changeCase(found.caseId, deps, (loaded, now) =>
      loaded.incidentId === incidentId
        ? unchanged(loaded)
        : (linkOpenCase(loaded, incident, round, now) ?? unchanged(loaded)),
    );
    return supportCase;
  });
  const mine = linked.filter((supportCase) => supportCase.incidentId === incidentId);
  return {
    linkedCaseIds: mine.map((supportCase) => supportCase.caseId),
    notices: mine.flatMap((supportCase) => caseNotices(supportCase, incident, round, round.at)),
  } satisfies PageWork;
}

/** An update or the close: tell each case linked under the page, or resolve it when the close says so. */
async function tellLinkedPage(
  incident: Incident,
  round: IncidentRound,
  page: number,
  deps: Dependencies,
): Promise<PageWork> {
  const caseIds = await deps.incidents.linkedCaseIds(incident.incidentId, page);
  const linked = (await deps.cases.getCases(caseIds)).filter(
    (supportCase) => supportCase.incidentId === incident.incidentId,
  );
  if (round.stage === 'closed' && round.resolveCases) {
    const { compensation } = await policyInForce(deps);
    await inBatches(linked.filter(isOpenCase), (supportCase) =>
      resolveLinkedCase(supportCase, round, compensation, deps),
    );
    // The linked customers hear of the close by their resolution, once (a retried page finds the case
    // resolved and does nothing); a case resolved before the close is done and gets nothing more.
    return { linkedCaseIds: linked.map((supportCase) => supportCase.caseId), notices: [] };
  }
  return tellCases(linked, incident, round, deps);
}

async function tellCases(
  cases: readonly SupportCase[],
  incident: Incident,
  round: IncidentRound,
  deps: Dependencies,
): Promise<PageWork> {
  const now = deps.clock.now().toISOString();
  const notices = cases.flatMap((supportCase) => caseNotices(supportCase, incident, round, now));
  await deps.incidents.putNotifications(notices, now);
  await handOffNotifications(notices, deps);
  return { linkedCaseIds: cases.map((supportCase) => supportCase.caseId), notices };
}

/** Each resolved case keeps its own `resolved` entry and its own resolution notice, by the closing manager. */
async function resolveLinkedCase(
  supportCase: SupportCase,
  round: IncidentRound,
  compensation: CompensationPolicy,
  deps: Dependencies,
) {
  const actor = { ...round.actor, roles: round.actor.roles as StaffRole[] };
  const resolution = round.message[supportCase.customer.locale];
  await changeCase(supportCase.caseId, deps, (loaded, now) =>
    isOpenCase(loaded) && loaded.status !== 'received'
      ? // A case nobody took yet is resolved by the closing manager as its handler, in the one `resolved` entry.
        staffActions.resolveCase(loaded.status === 'open' ? { ...loaded, status: 'in_progress' } : loaded, {
          at: now,
          actor,
          resolution,
          compensationPolicy: compensation,
          surveyDelayMs: deps.surveyDelayMs,
        })
      : unchanged(loaded),
  );
}

/** Customers without a case: one notice each, under an owner id of their own. */
async function tellContactPage(
  incident: Incident,
  round: IncidentRound,
  page: number,
  deps: Dependencies,
): Promise<PageWork> {
  const contacts = await deps.incidents.getContactPage(incident.incidentId, page);
  const now = deps.clock.now().toISOString();
  const notices = contacts.map((contact) =>
    incidentNotice(
      {
        caseId: contactOwnerId(incident.incidentId, contact.recipientKey),
        trackingNumber: contact.trackingNumber,
      },
      { channel: contact.channel, recipient: contact.recipient, locale: contact.locale },
      incident,
      round,
      now,
    ),
  );
  await deps.incidents.putNotifications(notices, now);
  await handOffNotifications(notices, deps);
  return { linkedCaseIds: [], notices };
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += caseConcurrency) {
    results.push(...(await Promise.all(items.slice(start, start + caseConcurrency).map(work))));
  }
  return results;
}
