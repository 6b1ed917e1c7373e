import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { objectStore } from '#adapters/wiring/object-store';
import { caseReadRoutes } from '#events/agent-case-reads';
import { viewAgentCase } from '#use-cases/view-agent-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  caseReadRoutes.getCase,
  [caseTable, attachmentRecords, objectStore],
  async (request, deps) => ({
    body: await viewAgentCase(request.path.caseId, request.staff, deps, request.query),
  }),
);
