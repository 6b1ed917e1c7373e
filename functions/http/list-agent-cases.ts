import { listCasesQuerySchema } from '#events/agent-api';
import { listCases } from '#use-cases/list-cases';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute({ query: listCasesQuerySchema }, async (request, staff, deps) => ({
  body: await listCases(request.query, staff, deps),
}));
