import { agentRoutes } from '#events/agent-api';
import { replyToCase } from '#use-cases/reply-to-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.reply, async (request, deps) => ({
  body: await replyToCase(request.path.caseId, request.body, request.staff, deps),
}));
