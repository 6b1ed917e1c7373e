import { caseTable } from '#adapters/wiring/case-table';
import { agentRoutes } from '#events/agent-api';
import { reportSummary } from '#use-cases/report-summary';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(agentRoutes.reportSummary, [caseTable], async (request, deps) => ({
  body: await reportSummary(request.query, request.staff, deps),
}));
