import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { attachmentSigner } from '#adapters/wiring/attachment-signer';
import { caseTable } from '#adapters/wiring/case-table';
import { caseReadRoutes } from '#events/agent-case-reads';
import { viewAgentCase } from '#use-cases/view-agent-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  caseReadRoutes.getCase,
  [caseTable, attachmentRecords, attachmentSigner],
  async (request, deps) => ({
    body: await viewAgentCase(request.path.caseId, request.staff, deps, request.query),
  }),
);
