import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { recordParcelReturn } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.parcelReturn, [caseTable], async (request, deps) => ({
  body: await recordParcelReturn(request.path.caseId, request.body, request.staff, deps),
}));
