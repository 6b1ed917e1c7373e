import { incidentStore } from '#adapters/wiring/incident-store';
import { queues } from '#adapters/wiring/queues';
import { incidentRoutes } from '#events/incident-api';
import { closeIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  incidentRoutes.closeIncident,
  [incidentStore, queues],
  async (request, deps) => ({
    body: await closeIncident(request.path.incidentId, request.body, request.staff, deps),
  }),
);
