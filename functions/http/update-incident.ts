import { incidentStore } from '#adapters/wiring/incident-store';
import { queues } from '#adapters/wiring/queues';
import { incidentRoutes } from '#events/incident-api';
import { updateIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  incidentRoutes.updateIncident,
  [incidentStore, queues],
  async (request, deps) => ({
    body: await updateIncident(request.path.incidentId, request.body, request.staff, deps),
  }),
);
