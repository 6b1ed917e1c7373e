import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { correctCategory } from '#use-cases/correct-category';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  caseWriteRoutes.correctCategory,
  [caseTable, policy],
  async (request, deps) => ({
    body: await correctCategory(request.path.caseId, request.body, request.staff, deps),
  }),
);
