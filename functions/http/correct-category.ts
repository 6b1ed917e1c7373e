import { categoryRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { correctCategory } from '#use-cases/correct-category';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: categoryRequestSchema },
  async (request, staff, deps) => ({
    body: await correctCategory(request.path.caseId, request.body, staff, deps),
  }),
);
