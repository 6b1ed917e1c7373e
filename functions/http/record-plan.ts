import { planRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { recordPlan } from '#use-cases/record-plan';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: planRequestSchema },
  async (request, staff, deps) => ({
    status: 201,
    body: await recordPlan(request.path.caseId, request.body, staff, deps),
  }),
);
