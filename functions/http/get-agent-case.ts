import { caseIdPathSchema } from '#events/customer-api';
import { viewAgentCase } from '#use-cases/view-agent-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute({ path: caseIdPathSchema }, async (request, staff, deps) => ({
  body: await viewAgentCase(request.path.caseId, staff, deps),
}));
