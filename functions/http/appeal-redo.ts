import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { agentRoutes } from '#events/agent-api';
import { orderAppealRedo } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.appealRedo, [caseTable, policy], async (request, deps) => ({
  body: await orderAppealRedo(request.path.caseId, request.body, request.staff, deps),
}));
