import { caseTable } from '#adapters/wiring/case-table';
import { customerRoutes } from '#events/customer-api';
import { appealCase } from '#use-cases/appeal-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerRoutes.appeal, [caseTable], async (request, deps) => ({
  body: await appealCase(request.path.caseId, request.caseToken, request.body, deps),
}));
