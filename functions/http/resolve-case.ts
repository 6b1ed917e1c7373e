import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { resolveCase } from '#use-cases/resolve-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  caseWriteRoutes.resolve,
  [caseTable, queues, policy],
  async (request, deps) => ({
    body: await resolveCase(request.path.caseId, request.body, request.staff, deps),
  }),
);
