import { escalateRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { escalateCase } from '#use-cases/escalate-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: escalateRequestSchema },
  async (request, staff, deps) => ({
    body: await escalateCase(request.path.caseId, request.body, staff, deps),
  }),
);
