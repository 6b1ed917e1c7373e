import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { queues } from '#adapters/wiring/queues';
import { incidentRoutes } from '#events/incident-api';
import { declareIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  incidentRoutes.declareIncident,
  [caseTable, keyring, queues],
  async (request, deps) => ({ body: await declareIncident(request.body, request.staff, deps) }),
);
