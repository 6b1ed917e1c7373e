// A manager declares, updates and closes an incident; everyone may read it. Each writes the incident and
// its round first, then queues one fan-out message per page (fan-out-incident.ts), so telling 10,000
// customers costs the request a few writes, and the queue does the rest at the rate the senders allow.
import { beijingDate } from '#domain/beijing-time';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import {
  type BilingualText,
  distinctContacts,
  distinctWaybills,
  type Incident,
  type IncidentCause,
  type IncidentContact,
  type IncidentRound,
  pagesOf,
  recipientOf,
} from '#domain/incident';
import { mobileNumberE164 } from '#domain/phone-numbers';
import { notAMobileNumber } from '#domain/phone-rules';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import { workIncidentPage } from './fan-out-incident.ts';
import type { StoredIncidentContact } from './incident-ports.ts';
import { ConcurrentModification, type Dependencies } from './ports.ts';

export interface IncidentFanoutMessage {
  incidentId: string;
  round: number;
  /** `scope`: link the open cases of a page of waybills (the declaration); `links`: tell (or resolve) the
   * cases linked under a page; `contacts`: tell a page of customers without a case. */
  part: 'scope' | 'links' | 'contacts';
  page: number;
}

const actorOf = (staff: StaffMember): IncidentRound['actor'] => ({
  sub: staff.sub,
  roles: [...staff.roles],
  ...(staff.email ? { email: staff.email } : {}),
});

/**
 * The contacts with each phone as a mobile number in E.164 (the contract checked only its characters);
 * every phone that is none is named in one 400, as the contract names its own findings.
 */
function withMobileNumbers(contacts: readonly IncidentContact[]): IncidentContact[] {
  const refused: Array<{ path: string; message: string }> = [];
  const read = contacts.map((contact, index) => {
    if (contact.phone === undefined) return contact;
    const phone = mobileNumberE164(contact.phone.trim());
    if (phone === undefined) refused.push({ path: `contacts.${index}.phone`, message: notAMobileNumber });
    return { ...contact, phone };
  });
  if (refused.length > 0) throw new ValidationFailed('Request body is invalid', refused);
  return read;
}

export async function declareIncident(
  request: {
    title: string;
    cause: IncidentCause;
    trackingNumbers: string[];
    message: BilingualText;
    expectedBy?: string;
    contacts?: IncidentContact[];
  },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'manage_incidents');
  const waybills = distinctWaybills(request.trackingNumbers);
  const contacts = distinctContacts(withMobileNumbers(request.contacts ?? []));
  const tooMany = [
    ...(waybills.length > deps.limits.incidentTrackingNumbers
      ? [
          {
            path: 'trackingNumbers',
            message: `At most ${deps.limits.incidentTrackingNumbers} waybills per incident`,
          },
        ]
      : []),
    ...(contacts.length > deps.limits.incidentContacts
      ? [{ path: 'contacts', message: `At most ${deps.limits.incidentContacts} contacts per incident` }]
      : []),
  ];
  if (tooMany.length > 0) throw new ValidationFailed('Request body is invalid', tooMany);

  const now = deps.clock.now();
  const at = now.toISOString();
  const incidentId = newIncidentId(now, deps);
  const scope = pagesOf(waybills);
  const contactPages = pagesOf(contacts.map((contact) => storedContact(contact, deps)));
  const incident: Incident = {
    incidentId,
    title: request.title,
    cause: request.cause,
    status: 'active',
    message: request.message,
    ...(request.expectedBy ? { expectedBy: request.expectedBy } : {}),
    round: 0,
    scopePages: scope.length,
    contactPages: contactPages.length,
    trackingNumberCount: waybills.length,
    contactCount: contacts.length,
    createdAt: at,
    updatedAt: at,
    createdBy: staff.sub,
  };
  const round: IncidentRound = {
    round: 0,
    stage: 'declared',
    message: request.message,
    ...(request.expectedBy ? { expectedBy: request.expectedBy } : {}),
    actor: actorOf(staff),
    at,
  };
  await deps.incidents.createIncident(incident, round, { scope, contacts: contactPages });

  // A small incident links its cases before the answer, so the 201 names them; a large one queues every page.
  let linkedCaseIds: string[] = [];
  let queuedNow = 0;
  const inline = scope.length === 1;
  if (inline) {
    const worked = await workIncidentPage({ incidentId, round: 0, part: 'scope', page: 0 }, deps);
    linkedCaseIds = worked.linkedCaseIds;
    queuedNow = worked.queued;
  }
  await deps.queues.incidentFanout.send([
    ...(inline ? [] : scope.map((_, page) => fanout(incidentId, 0, 'scope', page))),
    ...contactPages.map((_, page) => fanout(incidentId, 0, 'contacts', page)),
  ]);
  deps.logger.info('Incident declared', {
    incidentId,
    waybills: waybills.length,
    contacts: contacts.length,
    linked: linkedCaseIds.length,
  });
  return {
    incidentId,
    status: 'active' as const,
    linkedCaseIds,
    notified: { queued: queuedNow + contacts.length },
  };
}

export async function updateIncident(
  incidentId: string,
  request: { message: BilingualText; expectedBy?: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'manage_incidents');
  return nextRound(incidentId, staff, deps, (incident, at) => ({
    incident: {
      ...incident,
      message: request.message,
      ...(request.expectedBy ? { expectedBy: request.expectedBy } : {}),
      updatedAt: at,
    },
    round: {
      stage: 'update',
      message: request.message,
      ...((request.expectedBy ?? incident.expectedBy)
        ? { expectedBy: request.expectedBy ?? incident.expectedBy }
        : {}),
    },
  }));
}

export async function closeIncident(
  incidentId: string,
  request: { message: BilingualText; resolveCases: boolean },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'manage_incidents');
  return nextRound(incidentId, staff, deps, (incident, at) => ({
    incident: { ...incident, status: 'closed', message: request.message, updatedAt: at, closedAt: at },
    round: { stage: 'closed', message: request.message, resolveCases: request.resolveCases },
  }));
}

/** The incident as staff see it: its scope, its linked cases and the progress of its notices. */
export async function viewIncident(incidentId: string, staff: StaffMember, deps: Dependencies) {
  assertMayDo(staff, 'view_incidents');
  const incident = await deps.incidents.getIncident(incidentId);
  if (!incident) throw new NotFound('No incident with this id');
  const [trackingNumbers, linkedCaseIds, notifications] = await Promise.all([
    deps.incidents.trackingNumbers(incidentId),
    deps.incidents.linkedCaseIds(incidentId),
    deps.incidents.progress(incidentId),
  ]);
  return {
    incidentId,
    status: incident.status,
    title: incident.title,
    cause: incident.cause,
    message: incident.message,
    ...(incident.expectedBy ? { expectedBy: incident.expectedBy } : {}),
    round: incident.round,
    trackingNumbers,
    contacts: incident.contactCount,
    linkedCaseIds,
    notifications,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    ...(incident.closedAt ? { closedAt: incident.closedAt } : {}),
  };
}

/** An update or the close: the next round, written under the round it follows, then one message a page. */
async function nextRound(
  incidentId: string,
  staff: StaffMember,
  deps: Dependencies,
  change: (
    incident: Incident,
    at: string,
  ) => {
    incident: Incident;
    round: Pick<IncidentRound, 'stage' | 'message' | 'expectedBy' | 'resolveCases'>;
  },
) {
  const incident = await deps.incidents.getIncident(incidentId);
  if (!incident) throw new NotFound('No incident with this id');
  if (incident.status !== 'active') throw new Conflict(`The incident is ${incident.status}`);
  const at = deps.clock.now().toISOString();
  const changed = change(incident, at);
  const round: IncidentRound = { ...changed.round, round: incident.round + 1, actor: actorOf(staff), at };
  const saved: Incident = { ...changed.incident, round: round.round };
  // Two managers updating at once: one round wins, the other is told to try again.
  try {
    await deps.incidents.addRound(saved, round);
  } catch (error) {
    if (error instanceof ConcurrentModification) {
      throw new Conflict('The incident changed while this was saved; try again');
    }
    throw error;
  }
  await deps.queues.incidentFanout.send([
    ...Array.from({ length: incident.scopePages }, (_, page) =>
      fanout(incidentId, round.round, 'links', page),
    ),
    ...Array.from({ length: incident.contactPages }, (_, page) =>
      fanout(incidentId, round.round, 'contacts', page),
    ),
  ]);
  return { incidentId, status: saved.status, round: round.round };
}

function fanout(
  incidentId: string,
  round: number,
  part: IncidentFanoutMessage['part'],
  page: number,
): IncidentFanoutMessage {
  return { incidentId, round, part, page };
}

/** `IN` + the Beijing date and time to the minute + four letters: IN2611300830ABCD. */
function newIncidentId(now: Date, deps: Pick<Dependencies, 'randomSuffix'>): string {
  const day = beijingDate(now).replaceAll('-', '').slice(2);
  const time = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 16).replace(':', '');
  return `IN${day}${time}${deps.randomSuffix()}${deps.randomSuffix()}`;
}

function storedContact(contact: IncidentContact, deps: Pick<Dependencies, 'keyring'>): StoredIncidentContact {
  const address = recipientOf(contact);
  if (!address) throw new RangeError('A distinct contact always has an address');
  return {
    // A keyed hash, so the owner id of the contact's notices names nobody.
    recipientKey: deps.keyring.hashContact(address.recipient).slice(0, 22),
    trackingNumber: contact.trackingNumber,
    channel: address.channel,
    recipient: address.recipient,
    locale: contact.locale,
  };
}
