// The staff route over a customer rather than a case: their tier (API.md, "Agent routes"). A module of
// its own, so the SetCustomerTier function builds only its schemas when it loads.
import * as z from 'zod';
import { customerTiers } from '#domain/case-model';
import { phoneSchema } from './case-fields.ts';
import { defineRoute } from './route-contract.ts';

export const customerTierRequestSchema = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: phoneSchema.optional(),
    tier: z.enum(customerTiers),
  })
  .superRefine((body, ctx) => {
    if (!body.email && !body.phone) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'Give an email or a phone' });
    }
  })
  .meta({ id: 'CustomerTierRequest' });

export const customerTierResponseSchema = z
  .object({
    tier: z.enum(customerTiers),
    /** How many of the customer's cases were handed on to be re-prioritised (the open ones change). */
    casesQueued: z.number().int(),
  })
  .meta({ id: 'CustomerTierResponse' });

export const customerRoutesForStaff = {
  setCustomerTier: defineRoute({
    method: 'PUT',
    path: '/agent/customers/tier',
    summary: "Set a customer's tier (manager); their open cases are re-prioritised",
    auth: 'jwt',
    body: customerTierRequestSchema,
    success: { status: 200, schema: customerTierResponseSchema, description: 'The tier now held' },
    errors: [400, 401, 403, 413, 415],
  }),
};
