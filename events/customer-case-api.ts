// The customer routes over one case (API.md): read it, add a message, rate it, appeal, export, erase, attach
// a file. A module of its own, so these functions do not build the submission's schemas when they load
// (customer-api.ts lists every customer route).

import { caseStatuses, caseTypes, channels, customerTypes, locales } from '#domain/case-model';
import { remedies } from '#domain/processes';
import * as z from '#shared/zod';
import {
  attachmentRequestSchema,
  attachmentUploadSchema,
  listedAttachmentSchema,
} from './attachment-schemas.ts';
import { caseIdPathSchema, deadlinesSchema } from './case-fields.ts';
import { caseIdSchema, feedbackViewSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { defineRoute } from './route-contract.ts';

const customerWriteErrors = [400, 404, 409, 413, 415];

export const customerTimelineEntrySchema = z.object({
  at: isoTimestamp,
  kind: z.string(),
  message: z.string(),
  /** How the customer's words came: on the first entry and on each customer message (issue 16). */
  channel: z.optional(z.enum(channels)),
});

export const customerCaseViewSchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    status: z.enum(caseStatuses),
    subject: z.string(),
    /** The customer's language, so the case page opens in it (optional; added with the pages). */
    locale: z.optional(z.enum(locales)),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    deadlines: deadlinesSchema,
    linkedCaseIds: z.optional(z.array(caseIdSchema)),
    timeline: z.array(customerTimelineEntrySchema),
    /** The cause was force majeure (不可抗力, 002 §3.1); it changes what compensation is due. */
    forceMajeure: z.optional(z.literal(true)),
    /** The non-cash remedy offered: re-ship, free replacement or re-send. */
    remedy: z.optional(z.enum(remedies)),
    /** Uploaded files (and those that came with emails). */
    attachments: z.optional(z.array(listedAttachmentSchema)),
    /** The incident the case is linked to (API.md, "Added in the second round"). */
    incidentId: z.optional(z.string()),
  }),
  { id: 'CustomerCaseView' },
);
export type CustomerCaseView = z.infer<typeof customerCaseViewSchema>;

export const customerMessageRequestSchema = z.withMeta(z.strictObject({ message: humanText(1, 5000) }), {
  id: 'CustomerMessageRequest',
});

export const feedbackRequestSchema = z.withMeta(
  z.strictObject({
    score: z.number().check(z.int(), z.gte(1), z.lte(5)),
    comment: z.optional(humanText(0, 2000)),
    nps: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10))),
  }),
  { id: 'FeedbackRequest' },
);

export const appealRequestSchema = z.withMeta(z.strictObject({ reason: humanText(1, 5000) }), {
  id: 'AppealRequest',
});

/** What the customer's messages, feedback and appeal answer with. */
export const customerActionResponseSchema = z.withMeta(
  z.object({ caseId: caseIdSchema, status: z.enum(caseStatuses), deadlines: deadlinesSchema }),
  { id: 'CustomerActionResponse' },
);

export const erasureRequestSchema = z.withMeta(
  z.strictObject({
    confirm: z.literal(true, { error: 'Send { "confirm": true } to erase your personal data' }),
  }),
  { id: 'ErasureRequest' },
);

export const erasureResponseSchema = z.withMeta(
  z.object({ erasedCases: z.number().check(z.int(), z.gte(1)) }),
  { id: 'ErasureResponse' },
);

/** One case in the customer's export: their view of it with the whole public timeline, and what they submitted. */
export const exportedCaseSchema = z.withMeta(
  z.extend(customerCaseViewSchema, {
    description: z.string(),
    channel: z.enum(channels),
    trackingNumber: z.optional(z.string()),
    shipment: z.optional(z.record(z.string(), z.unknown())),
    claim: z.optional(moneySchema),
    compensation: z.optional(z.extend(moneySchema, { rule: z.string() })),
    feedback: z.optional(feedbackViewSchema),
    resolvedAt: z.optional(isoTimestamp),
    closedAt: z.optional(isoTimestamp),
  }),
  { id: 'ExportedCase' },
);

export const customerExportSchema = z.withMeta(
  z.object({
    customer: z.object({
      name: z.string(),
      email: z.optional(z.string()),
      phone: z.optional(z.string()),
      type: z.enum(customerTypes),
      tier: z.string(),
      locale: z.enum(locales),
    }),
    cases: z.array(exportedCaseSchema),
  }),
  { id: 'CustomerExport' },
);

export const customerCaseRoutes = {
  getCase: defineRoute({
    method: 'GET',
    path: '/cases/{caseId}',
    summary: 'The case as its customer sees it',
    auth: 'case-token',
    params: caseIdPathSchema,
    success: { status: 200, schema: customerCaseViewSchema, description: 'The case' },
    errors: [400, 404],
  }),
  addMessage: defineRoute({
    method: 'POST',
    path: '/cases/{caseId}/messages',
    summary: 'The customer adds information',
    auth: 'case-token',
    params: caseIdPathSchema,
    body: customerMessageRequestSchema,
    success: {
      status: 201,
      schema: customerActionResponseSchema,
      description: 'Added to the timeline; a case waiting for the customer resumes',
    },
    errors: customerWriteErrors,
  }),
  giveFeedback: defineRoute({
    method: 'POST',
    path: '/cases/{caseId}/feedback',
    summary: 'Answer the satisfaction survey',
    auth: 'case-token',
    params: caseIdPathSchema,
    body: feedbackRequestSchema,
    success: { status: 201, schema: customerActionResponseSchema, description: 'Recorded' },
    errors: customerWriteErrors,
  }),
  appeal: defineRoute({
    method: 'POST',
    path: '/cases/{caseId}/appeal',
    summary: 'Disagree with the result',
    auth: 'case-token',
    params: caseIdPathSchema,
    body: appealRequestSchema,
    success: {
      status: 201,
      schema: customerActionResponseSchema,
      description: 'The case is appealed and goes to a supervisor',
    },
    errors: customerWriteErrors,
  }),
  eraseCustomerData: defineRoute({
    method: 'POST',
    path: '/cases/{caseId}/erasure',
    summary: "Erase the customer's personal data from all their cases",
    auth: 'case-token',
    params: caseIdPathSchema,
    body: erasureRequestSchema,
    success: {
      status: 202,
      schema: erasureResponseSchema,
      description:
        'Every case of this customer is anonymised (open ones withdrawn first); a last confirmation is sent, then the token answers 404',
    },
    errors: [...customerWriteErrors, 429],
  }),
  exportCustomerData: defineRoute({
    method: 'GET',
    path: '/cases/{caseId}/export',
    summary: 'A copy of everything held about the customer',
    auth: 'case-token',
    params: caseIdPathSchema,
    success: {
      status: 200,
      schema: customerExportSchema,
      description: "The customer's data, all their cases",
    },
    errors: [400, 404, 429],
  }),
  addAttachment: defineRoute({
    method: 'POST',
    path: '/cases/{caseId}/attachments',
    summary: 'Attach a photo or PDF: a presigned POST for one file',
    auth: 'case-token',
    params: caseIdPathSchema,
    body: attachmentRequestSchema,
    success: {
      status: 201,
      schema: attachmentUploadSchema,
      description:
        'POST the file to upload.url with the fields before expiresAt; S3 refuses another key, type or a larger file. Listed once uploaded',
    },
    errors: customerWriteErrors,
  }),
};
