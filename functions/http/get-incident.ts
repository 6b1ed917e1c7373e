import { incidentStore } from '#adapters/wiring/incident-store';
import { incidentRoutes } from '#events/incident-api';
import { viewIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(incidentRoutes.getIncident, [incidentStore], async (request, deps) => ({
  body: await viewIncident(request.path.incidentId, request.staff, deps),
}));
