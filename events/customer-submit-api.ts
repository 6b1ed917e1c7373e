// POST /cases, the customer's submission (API.md), in a module of its own: the SubmitCase function builds
// only its schemas when it loads, and the other customer functions do not build the largest request schema.

import {
  type CaseType,
  caseStatuses,
  caseTypes,
  categoriesByType,
  channels,
  customerTypes,
  isCategoryOf,
  locales,
  routes,
  services,
} from '#domain/case-model';
import * as z from '#shared/zod';
import { deadlinesSchema, phoneSchema, trackingNumberSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp, moneySchema, recentPastTimestamp } from './common.ts';
import { defineRoute } from './route-contract.ts';

const typesNeedingWaybill: readonly CaseType[] = ['complaint', 'exception', 'claim'];

export const submitCaseRequestSchema = z.withMeta(
  z
    .strictObject({
      type: z.enum(caseTypes),
      category: z.optional(z.string()),
      channel: z._default(z.enum(channels), 'web'),
      subject: humanText(1, 200),
      description: humanText(1, 5000),
      trackingNumber: z.optional(trackingNumberSchema),
      customer: z.strictObject({
        name: humanText(1, 100),
        email: z.optional(z.email().check(z.maxLength(254))),
        phone: z.optional(phoneSchema),
        type: z._default(z.enum(customerTypes), 'individual'),
        locale: z._default(z.enum(locales), 'zh-CN'),
      }),
      shipment: z.optional(
        z.strictObject({
          service: z.optional(z.enum(services)),
          route: z.optional(z.enum(routes)),
          shippedAt: z.optional(recentPastTimestamp),
          declaredValue: z.optional(moneySchema),
          insured: z.optional(z.boolean()),
          freight: z.optional(moneySchema),
        }),
      ),
      claim: z.optional(moneySchema),
      consent: z.strictObject({
        dataProcessing: z.literal(true, { error: 'Consent to data processing is required' }),
      }),
    })
    .check(
      z.superRefine((body, ctx) => {
        if (body.category !== undefined && !isCategoryOf(body.type, body.category)) {
          ctx.addIssue({
            code: 'custom',
            path: ['category'],
            message: `For ${body.type} use one of: ${categoriesByType[body.type].join(', ')}`,
          });
        }
        if (typesNeedingWaybill.includes(body.type) && !body.trackingNumber) {
          ctx.addIssue({ code: 'custom', path: ['trackingNumber'], message: `Required for ${body.type}` });
        }
        if (body.type === 'claim' && !body.claim) {
          ctx.addIssue({ code: 'custom', path: ['claim'], message: 'Required for claim' });
        }
        if (!body.customer.email && !body.customer.phone) {
          ctx.addIssue({ code: 'custom', path: ['customer.email'], message: 'Give an email or a phone' });
        }
      }),
    ),
  { id: 'SubmitCaseRequest' },
);
export type SubmitCaseRequest = z.output<typeof submitCaseRequestSchema>;
export type SubmitCaseInput = z.input<typeof submitCaseRequestSchema>;

export const submitCaseResponseSchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    status: z.enum(caseStatuses),
    accessToken: z.string(),
    createdAt: isoTimestamp,
    deadlines: deadlinesSchema,
  }),
  { id: 'SubmitCaseResponse' },
);
export type SubmitCaseResponse = z.infer<typeof submitCaseResponseSchema>;

export const idempotencyKeySchema = z.string().check(z.minLength(8), z.maxLength(128));

export const submitCaseRoutes = {
  submitCase: defineRoute({
    method: 'POST',
    path: '/cases',
    summary: 'Submit a case',
    auth: 'none',
    body: submitCaseRequestSchema,
    success: { status: 201, schema: submitCaseResponseSchema, description: 'The case was registered' },
    errors: [400, 413, 415, 422, 429],
  }),
};
