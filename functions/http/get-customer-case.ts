import { z } from 'zod';
import { caseIdPathSchema } from '#events/customer-api';
import { viewCustomerCase } from '#use-cases/view-customer-case';
import { httpRoute } from '../middleware/http-route.ts';

const querySchema = z.object({ token: z.string().max(200).optional() });

export const handler = httpRoute({ path: caseIdPathSchema, query: querySchema }, async (request, deps) => ({
  body: await viewCustomerCase(
    request.path.caseId,
    request.headers['x-case-token'] ?? request.query.token,
    deps,
  ),
}));
