// POST /cases, the customer's submission (API.md), in a module of its own: the SubmitCase function builds
// only its schemas when it loads, and the other customer functions do not build the largest request schema.
import * as z from 'zod';
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
import { deadlinesSchema, phoneSchema, trackingNumberSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp, moneySchema, recentPastTimestamp } from './common.ts';
import { defineRoute } from './route-contract.ts';

const typesNeedingWaybill: readonly CaseType[] = ['complaint', 'exception', 'claim'];

export const submitCaseRequestSchema = z
  .strictObject({
    type: z.enum(caseTypes),
    category: z.string().optional(),
    channel: z.enum(channels).default('web'),
    subject: humanText(1, 200),
    description: humanText(1, 5000),
    trackingNumber: trackingNumberSchema.optional(),
    customer: z.strictObject({
      name: humanText(1, 100),
      email: z.email().max(254).optional(),
      phone: phoneSchema.optional(),
      type: z.enum(customerTypes).default('individual'),
      locale: z.enum(locales).default('zh-CN'),
    }),
    shipment: z
      .strictObject({
        service: z.enum(services).optional(),
        route: z.enum(routes).optional(),
        shippedAt: recentPastTimestamp.optional(),
        declaredValue: moneySchema.optional(),
        insured: z.boolean().optional(),
        freight: moneySchema.optional(),
      })
      .optional(),
    claim: moneySchema.optional(),
    consent: z.strictObject({
      dataProcessing: z.literal(true, { error: 'Consent to data processing is required' }),
    }),
  })
  .superRefine((body, ctx) => {
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
  })
  .meta({ id: 'SubmitCaseRequest' });
export type SubmitCaseRequest = z.output<typeof submitCaseRequestSchema>;
export type SubmitCaseInput = z.input<typeof submitCaseRequestSchema>;

export const submitCaseResponseSchema = z
  .object({
    caseId: caseIdSchema,
    status: z.enum(caseStatuses),
    accessToken: z.string(),
    createdAt: isoTimestamp,
    deadlines: deadlinesSchema,
  })
  .meta({ id: 'SubmitCaseResponse' });
export type SubmitCaseResponse = z.infer<typeof submitCaseResponseSchema>;

export const idempotencyKeySchema = z.string().min(8).max(128);

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
