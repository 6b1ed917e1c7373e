import { agentRoutes } from '#events/agent-api';
import { recordPlan } from '#use-cases/record-plan';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.plan, async (request, deps) => ({
  body: await recordPlan(request.path.caseId, request.body, request.staff, deps),
}));
