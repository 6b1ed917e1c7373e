import { caseTable } from '#adapters/wiring/case-table';
import { reportRoutes } from '#events/agent-reports';
import { reportSummary } from '#use-cases/report-summary';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(reportRoutes.reportSummary, [caseTable], async (request, deps) => ({
  body: await reportSummary(request.query, request.staff, deps),
}));
