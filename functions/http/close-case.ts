import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { closeCase } from '#use-cases/close-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.close, [caseTable], async (request, deps) => ({
  body: await closeCase(request.path.caseId, request.staff, deps),
}));
