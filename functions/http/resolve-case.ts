import { resolveRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { resolveCase } from '#use-cases/resolve-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: resolveRequestSchema },
  async (request, staff, deps) => ({
    body: await resolveCase(request.path.caseId, request.body, staff, deps),
  }),
);
