import { caseTable } from '#adapters/wiring/case-table';
import { queues } from '#adapters/wiring/queues';
import { agentRoutes } from '#events/agent-api';
import { updateIncident } from '#use-cases/manage-incidents';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.updateIncident, [caseTable, queues], async (request, deps) => ({
  body: await updateIncident(request.path.incidentId, request.body, request.staff, deps),
}));
