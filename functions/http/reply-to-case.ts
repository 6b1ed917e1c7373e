import { replyRequestSchema } from '#events/agent-api';
import { caseIdPathSchema } from '#events/customer-api';
import { replyToCase } from '#use-cases/reply-to-case';
import { staffRoute } from '../middleware/staff-route.ts';

export const handler = staffRoute(
  { path: caseIdPathSchema, body: replyRequestSchema },
  async (request, staff, deps) => ({
    status: 201,
    body: await replyToCase(request.path.caseId, request.body, staff, deps),
  }),
);
