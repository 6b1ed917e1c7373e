import { caseTable } from '#adapters/wiring/case-table';
import { incidentStore } from '#adapters/wiring/incident-store';
import { keyring } from '#adapters/wiring/keyring';
import { queues } from '#adapters/wiring/queues';
import { incidentRoutes } from '#events/incident-api';
import { declareIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  incidentRoutes.declareIncident,
  [caseTable, incidentStore, keyring, queues],
  async (request, deps) => ({ body: await declareIncident(request.body, request.staff, deps) }),
);
