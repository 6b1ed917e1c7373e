import { statusRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { changeCaseStatus } from '#use-cases/change-case-status';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: statusRequestSchema },
  async (request, staff, deps) => ({
    body: await changeCaseStatus(request.path.caseId, request.body, staff, deps),
  }),
);
