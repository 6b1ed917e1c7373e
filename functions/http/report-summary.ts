import { reportQuerySchema } from '#events/agent-api';
import { reportSummary } from '#use-cases/report-summary';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute({ query: reportQuerySchema }, async (request, staff, deps) => ({
  body: await reportSummary(request.query, staff, deps),
}));
