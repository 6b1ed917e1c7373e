import { reportCounters } from '#adapters/wiring/report-counters';
import { reportRoutes } from '#events/agent-reports';
import { reportSummary } from '#use-cases/report-summary';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(reportRoutes.reportSummary, [reportCounters], async (request, deps) => ({
  body: await reportSummary(request.query, request.staff, deps),
}));
