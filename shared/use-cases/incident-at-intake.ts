// Intake asks whether a new case's waybill is caught in an active incident: the case is then linked to it,
// and its acknowledgement states the cause and the expected date.
import { type IncidentFacts, normaliseWaybill } from '#domain/incident';
import type { SupportCase } from '#domain/support-case';
import type { Dependencies } from './ports.ts';

export async function incidentOfNewCase(
  supportCase: Pick<SupportCase, 'caseId' | 'trackingNumber' | 'incidentId'>,
  deps: Pick<Dependencies, 'incidents'>,
): Promise<IncidentFacts | null> {
  if (!supportCase.trackingNumber) return null;
  const refs = await deps.incidents.incidentsOfWaybill(normaliseWaybill(supportCase.trackingNumber));
  // The incident it is already linked to first, then the newest (ids sort by when they were declared).
  const ordered = [...refs].sort(
    (a, b) =>
      Number(b.incidentId === supportCase.incidentId) - Number(a.incidentId === supportCase.incidentId) ||
      b.incidentId.localeCompare(a.incidentId),
  );
  for (const ref of ordered) {
    const incident = await deps.incidents.getIncident(ref.incidentId);
    if (incident?.status !== 'active') continue;
    // Recorded before the case is saved, so every update of the incident reaches this case.
    if (!supportCase.incidentId) await deps.incidents.addLink(ref.incidentId, ref.page, supportCase.caseId);
    return {
      incidentId: incident.incidentId,
      cause: incident.cause,
      ...(incident.expectedBy ? { expectedBy: incident.expectedBy } : {}),
    };
  }
  return null;
}
