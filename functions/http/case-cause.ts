import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { recordCause } from '#use-cases/process-actions';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.cause, [caseTable, policy], async (request, deps) => ({
  body: await recordCause(request.path.caseId, request.body, request.staff, deps),
}));
