import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { customerCaseRoutes } from '#events/customer-case-api';
import { appealCase } from '#use-cases/appeal-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerCaseRoutes.appeal, [caseTable, policy], async (request, deps) => ({
  body: await appealCase(request.path.caseId, request.caseToken, request.body, deps),
}));
