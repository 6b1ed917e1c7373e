import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { agentRoutes } from '#events/agent-api';
import { classifyProblem } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.problem, [caseTable, policy], async (request, deps) => ({
  body: await classifyProblem(request.path.caseId, request.body, request.staff, deps),
}));
