import { caseIdPathSchema } from '#events/customer-api';
import { closeCase } from '#use-cases/close-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute({ path: caseIdPathSchema }, async (request, staff, deps) => ({
  body: await closeCase(request.path.caseId, staff, deps),
}));
