import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { agentRoutes } from '#events/agent-api';
import { correctCategory } from '#use-cases/correct-category';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.correctCategory, [caseTable, policy], async (request, deps) => ({
  body: await correctCategory(request.path.caseId, request.body, request.staff, deps),
}));
