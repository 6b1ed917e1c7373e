import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { agentRoutes } from '#events/agent-api';
import { assignCase } from '#use-cases/assign-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.assign, [caseTable, policy], async (request, deps) => ({
  body: await assignCase(request.path.caseId, request.body, request.staff, deps),
}));
