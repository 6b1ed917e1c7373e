import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { listCases } from '#use-cases/list-cases';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.listCases, [caseTable], async (request, deps) => ({
  body: await listCases(request.query, request.staff, deps),
}));
