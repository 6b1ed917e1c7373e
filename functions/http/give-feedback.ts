import { caseTable } from '#adapters/wiring/case-table';
import { customerCaseRoutes } from '#events/customer-case-api';
import { giveFeedback } from '#use-cases/give-feedback';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerCaseRoutes.giveFeedback, [caseTable], async (request, deps) => ({
  body: await giveFeedback(request.path.caseId, request.caseToken, request.body, deps),
}));
