import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { classifyProblem } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.problem, [caseTable], async (request, deps) => ({
  body: await classifyProblem(request.path.caseId, request.body, request.staff, deps),
}));
