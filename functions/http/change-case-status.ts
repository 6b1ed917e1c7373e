import { caseTable } from '#adapters/wiring/case-table';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { changeCaseStatus } from '#use-cases/change-case-status';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.status, [caseTable], async (request, deps) => ({
  body: await changeCaseStatus(request.path.caseId, request.body, request.staff, deps),
}));
