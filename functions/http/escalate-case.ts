import { caseTable } from '#adapters/wiring/case-table';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { escalateCase } from '#use-cases/escalate-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.escalate, [caseTable], async (request, deps) => ({
  body: await escalateCase(request.path.caseId, request.body, request.staff, deps),
}));
