// The incident routes (API.md, "Added in the second round" → Staff): a manager declares an incident over
// waybills, updates and closes it; every role reads it. Spread into agentRoutes, so the catalogue and the
// OpenAPI document list them with the other staff routes.

import { locales } from '#domain/case-model';
import { incidentCauses, incidentStatuses } from '#domain/incident';
import * as z from '#shared/zod';
import { phoneSchema, trackingNumberSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp } from './common.ts';
import { defineRoute } from './route-contract.ts';

/**
 * A declaration names up to 10,000 waybills and 10,000 contacts (abuseLimits `incidentTrackingNumbers`,
 * `incidentContacts`), far beyond API.md's 64 KiB: this route alone takes bodies up to 2 MiB.
 */
export const incidentBodyBytes = 2 * 1024 * 1024;

export const incidentIdSchema = z.withMeta(
  z.string().check(z.regex(/^IN\d{10}[A-Z]{4}$/, 'Not an incident id')),
  { example: 'IN2611300830ABCD' },
);

export const incidentPathSchema = z.object({ incidentId: incidentIdSchema });

export const bilingualMessageSchema = z.withMeta(
  z.strictObject({ 'zh-CN': humanText(1, 2000), en: humanText(1, 2000) }),
  { id: 'BilingualMessage' },
);

export const incidentContactSchema = z.withMeta(
  z
    .strictObject({
      trackingNumber: trackingNumberSchema,
      email: z.optional(z.email().check(z.maxLength(254))),
      phone: z.optional(phoneSchema),
      locale: z._default(z.enum(locales), 'zh-CN'),
    })
    .check(
      z.refine((contact) => contact.email !== undefined || contact.phone !== undefined, {
        message: 'Give an email or a phone',
        path: ['email'],
      }),
    ),
  { id: 'IncidentContact' },
);

export const declareIncidentRequestSchema = z.withMeta(
  z.strictObject({
    title: humanText(1, 200),
    cause: z.enum(incidentCauses),
    trackingNumbers: z.array(trackingNumberSchema).check(z.minLength(1)),
    message: bilingualMessageSchema,
    expectedBy: z.optional(isoTimestamp),
    contacts: z.optional(z.array(incidentContactSchema)),
  }),
  { id: 'DeclareIncidentRequest' },
);
export type DeclareIncidentRequest = z.output<typeof declareIncidentRequestSchema>;

export const incidentUpdateRequestSchema = z.withMeta(
  z.strictObject({ message: bilingualMessageSchema, expectedBy: z.optional(isoTimestamp) }),
  { id: 'IncidentUpdateRequest' },
);

export const closeIncidentRequestSchema = z.withMeta(
  z.strictObject({ message: bilingualMessageSchema, resolveCases: z._default(z.boolean(), false) }),
  { id: 'CloseIncidentRequest' },
);

const progressSchema = z.object({
  queued: z.number().check(z.int()),
  sent: z.number().check(z.int()),
  skipped: z.number().check(z.int()),
  failed: z.number().check(z.int()),
});

export const declareIncidentResponseSchema = z.withMeta(
  z.object({
    incidentId: incidentIdSchema,
    status: z.literal('active'),
    linkedCaseIds: z.array(caseIdSchema),
    notified: z.object({ queued: z.number().check(z.int()) }),
  }),
  { id: 'DeclaredIncident' },
);

export const incidentRoundResponseSchema = z.withMeta(
  z.object({
    incidentId: incidentIdSchema,
    status: z.enum(incidentStatuses),
    round: z.number().check(z.int()),
  }),
  { id: 'IncidentRound' },
);

export const incidentViewSchema = z.withMeta(
  z.object({
    incidentId: incidentIdSchema,
    status: z.enum(incidentStatuses),
    title: z.string(),
    cause: z.enum(incidentCauses),
    message: z.object({ 'zh-CN': z.string(), en: z.string() }),
    expectedBy: z.optional(isoTimestamp),
    round: z.number().check(z.int()),
    trackingNumbers: z.array(z.string()),
    contacts: z.number().check(z.int()),
    linkedCaseIds: z.array(caseIdSchema),
    notifications: progressSchema,
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    closedAt: z.optional(isoTimestamp),
  }),
  { id: 'Incident' },
);
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
