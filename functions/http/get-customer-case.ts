import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { customerCaseRoutes } from '#events/customer-case-api';
import { viewCustomerCase } from '#use-cases/view-customer-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.getCase,
  [caseTable, attachmentRecords],
  async (request, deps) => ({
    body: await viewCustomerCase(request.path.caseId, request.caseToken, deps),
  }),
);
