import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { recordPlan } from '#use-cases/record-plan';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  caseWriteRoutes.plan,
  [caseTable, queues, policy],
  async (request, deps) => ({
    body: await recordPlan(request.path.caseId, request.body, request.staff, deps),
  }),
);
