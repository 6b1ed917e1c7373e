import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { assignCase } from '#use-cases/assign-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.assign, [caseTable, policy], async (request, deps) => ({
  body: await assignCase(request.path.caseId, request.body, request.staff, deps),
}));
