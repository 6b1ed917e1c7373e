// The incident routes (API.md, "Added in the second round" → Staff): a manager declares an incident over
// waybills, updates and closes it; every role reads it. Spread into agentRoutes, so the catalogue and the
// OpenAPI document list them with the other staff routes.
import * as z from 'zod';
import { locales } from '#domain/case-model';
import { incidentCauses, incidentStatuses } from '#domain/incident';
import { phoneSchema, trackingNumberSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp } from './common.ts';
import { defineRoute } from './route-contract.ts';

/**
 * A declaration names up to 10,000 waybills and 10,000 contacts (abuseLimits `incidentTrackingNumbers`,
 * `incidentContacts`), far beyond API.md's 64 KiB: this route alone takes bodies up to 2 MiB.
 */
export const incidentBodyBytes = 2 * 1024 * 1024;

export const incidentIdSchema = z
  .string()
  .regex(/^IN\d{10}[A-Z]{4}$/, 'Not an incident id')
  .meta({ example: 'IN2611300830ABCD' });

export const incidentPathSchema = z.object({ incidentId: incidentIdSchema });

export const bilingualMessageSchema = z
  .strictObject({ 'zh-CN': humanText(1, 2000), en: humanText(1, 2000) })
  .meta({ id: 'BilingualMessage' });

export const incidentContactSchema = z
  .strictObject({
    trackingNumber: trackingNumberSchema,
    email: z.email().max(254).optional(),
    phone: phoneSchema.optional(),
    locale: z.enum(locales).default('zh-CN'),
  })
  .refine((contact) => contact.email !== undefined || contact.phone !== undefined, {
    message: 'Give an email or a phone',
    path: ['email'],
  })
  .meta({ id: 'IncidentContact' });

export const declareIncidentRequestSchema = z
  .strictObject({
    title: humanText(1, 200),
    cause: z.enum(incidentCauses),
    trackingNumbers: z.array(trackingNumberSchema).min(1),
    message: bilingualMessageSchema,
    expectedBy: isoTimestamp.optional(),
    contacts: z.array(incidentContactSchema).optional(),
  })
  .meta({ id: 'DeclareIncidentRequest' });
export type DeclareIncidentRequest = z.output<typeof declareIncidentRequestSchema>;

export const incidentUpdateRequestSchema = z
  .strictObject({ message: bilingualMessageSchema, expectedBy: isoTimestamp.optional() })
  .meta({ id: 'IncidentUpdateRequest' });

export const closeIncidentRequestSchema = z
  .strictObject({ message: bilingualMessageSchema, resolveCases: z.boolean().default(false) })
  .meta({ id: 'CloseIncidentRequest' });

const progressSchema = z.object({
  queued: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

export const declareIncidentResponseSchema = z
  .object({
    incidentId: incidentIdSchema,
    status: z.literal('active'),
    linkedCaseIds: z.array(caseIdSchema),
    notified: z.object({ queued: z.number().int() }),
  })
  .meta({ id: 'DeclaredIncident' });

export const incidentRoundResponseSchema = z
  .object({
    incidentId: incidentIdSchema,
    status: z.enum(incidentStatuses),
    round: z.number().int(),
  })
  .meta({ id: 'IncidentRound' });

export const incidentViewSchema = z
  .object({
    incidentId: incidentIdSchema,
    status: z.enum(incidentStatuses),
    title: z.string(),
    cause: z.enum(incidentCauses),
    message: z.object({ 'zh-CN': z.string(), en: z.string() }),
    expectedBy: isoTimestamp.optional(),
    round: z.number().int(),
    trackingNumbers: z.array(z.string()),
    contacts: z.number().int(),
    linkedCaseIds: z.array(caseIdSchema),
    notifications: progressSchema,
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    closedAt: isoTimestamp.optional(),
  })
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof incidentViewSchema>;

const incidentErrors = [400, 401, 403, 404, 409, 413, 415];

export const incidentRoutes = {
  declareIncident: defineRoute({
    method: 'POST',
    path: '/agent/incidents',
    summary: 'Declare an incident over waybills; their customers are told at once (manager+)',
    auth: 'jwt',
    body: declareIncidentRequestSchema,
    maxBodyBytes: incidentBodyBytes,
    success: {
      status: 201,
      schema: declareIncidentResponseSchema,
      description: 'Declared; the notices are on their way (progress in GET)',
    },
    errors: incidentErrors,
  }),
  updateIncident: defineRoute({
    method: 'POST',
    path: '/agent/incidents/{incidentId}/updates',
    summary: 'Tell every linked customer of an update, once each (manager+)',
    auth: 'jwt',
    params: incidentPathSchema,
    body: incidentUpdateRequestSchema,
    success: { status: 201, schema: incidentRoundResponseSchema, description: 'The update is on its way' },
    errors: incidentErrors,
  }),
  closeIncident: defineRoute({
    method: 'POST',
    path: '/agent/incidents/{incidentId}/close',
    summary: 'Close an incident; with resolveCases every linked open case is resolved (manager+)',
    auth: 'jwt',
    params: incidentPathSchema,
    body: closeIncidentRequestSchema,
    success: { status: 200, schema: incidentRoundResponseSchema, description: 'Closed' },
    errors: incidentErrors,
  }),
  getIncident: defineRoute({
    method: 'GET',
    path: '/agent/incidents/{incidentId}',
    summary: 'An incident with its waybills, linked cases and the progress of its notices',
    auth: 'jwt',
    params: incidentPathSchema,
    success: { status: 200, schema: incidentViewSchema, description: 'The incident' },
    errors: [400, 401, 403, 404],
  }),
};
