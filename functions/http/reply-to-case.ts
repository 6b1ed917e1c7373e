import { caseTable } from '#adapters/wiring/case-table';
import { queues } from '#adapters/wiring/queues';
import { caseWriteRoutes } from '#events/agent-case-writes';
import { replyToCase } from '#use-cases/reply-to-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(caseWriteRoutes.reply, [caseTable, queues], async (request, deps) => ({
  body: await replyToCase(request.path.caseId, request.body, request.staff, deps),
}));
