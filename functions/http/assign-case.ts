import { assignRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { assignCase } from '#use-cases/assign-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: assignRequestSchema },
  async (request, staff, deps) => ({
    body: await assignCase(request.path.caseId, request.body, staff, deps),
  }),
);
