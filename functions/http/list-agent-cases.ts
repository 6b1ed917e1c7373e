import { caseLists } from '#adapters/wiring/case-lists';
import { caseReadRoutes } from '#events/agent-case-reads';
import { listCases } from '#use-cases/list-cases';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseReadRoutes.listCases, [caseLists], async (request, deps) => ({
  body: await listCases(request.query, request.staff, deps),
}));
