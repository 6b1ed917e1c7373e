// GET /health, in a module of its own: the Health function builds only this contract, not the schemas of
// every customer route (zod builds each schema when its module loads, which is most of a small function's
// import time). customerRoutes lists it with the others, for the catalogue and the OpenAPI document.
import * as z from 'zod';
import { defineRoute } from './route-contract.ts';

export const healthResponseSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthRoute = defineRoute({
  method: 'GET',
  path: '/health',
  summary: 'Liveness',
  auth: 'none',
  success: { status: 200, schema: healthResponseSchema, description: 'The API answers' },
  errors: [],
});
