import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { orderAppealRedo } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.appealRedo, [caseTable], async (request, deps) => ({
  body: await orderAppealRedo(request.path.caseId, request.body, request.staff, deps),
}));
