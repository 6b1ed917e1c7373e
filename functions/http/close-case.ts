import { caseTable } from '#adapters/wiring/case-table';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { closeCase } from '#use-cases/close-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.close, [caseTable], async (request, deps) => ({
  body: await closeCase(request.path.caseId, request.staff, deps),
}));
