// The customer routes over one case (API.md): read it, add a message, rate it, appeal, export, erase, attach
// a file. A module of its own, so these functions do not build the submission's schemas when they load
// (customer-api.ts lists every customer route).
import * as z from 'zod';
import { caseStatuses, caseTypes, channels, customerTypes, locales } from '#domain/case-model';
import { remedies } from '#domain/processes';
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
  channel: z.enum(channels).optional(),
});

export const customerCaseViewSchema = z
  .object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    status: z.enum(caseStatuses),
    subject: z.string(),
    /** The customer's language, so the case page opens in it (optional; added with the pages). */
    locale: z.enum(locales).optional(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    deadlines: deadlinesSchema,
    linkedCaseIds: z.array(caseIdSchema).optional(),
    timeline: z.array(customerTimelineEntrySchema),
    /** The cause was force majeure (不可抗力, 002 §3.1); it changes what compensation is due. */
    forceMajeure: z.literal(true).optional(),
    /** The non-cash remedy offered: re-ship, free replacement or re-send. */
    remedy: z.enum(remedies).optional(),
    /** Uploaded files (and those that came with emails). */
    attachments: z.array(listedAttachmentSchema).optional(),
    /** The incident the case is linked to (API.md, "Added in the second round"). */
    incidentId: z.string().optional(),
  })
  .meta({ id: 'CustomerCaseView' });
export type CustomerCaseView = z.infer<typeof customerCaseViewSchema>;

export const customerMessageRequestSchema = z
  .strictObject({ message: humanText(1, 5000) })
  .meta({ id: 'CustomerMessageRequest' });

export const feedbackRequestSchema = z
  .strictObject({
    score: z.number().int().min(1).max(5),
    comment: humanText(0, 2000).optional(),
    nps: z.number().int().min(0).max(10).optional(),
  })
  .meta({ id: 'FeedbackRequest' });

export const appealRequestSchema = z
  .strictObject({ reason: humanText(1, 5000) })
  .meta({ id: 'AppealRequest' });

/** What the customer's messages, feedback and appeal answer with. */
export const customerActionResponseSchema = z
  .object({ caseId: caseIdSchema, status: z.enum(caseStatuses), deadlines: deadlinesSchema })
  .meta({ id: 'CustomerActionResponse' });

export const erasureRequestSchema = z
  .strictObject({
    confirm: z.literal(true, { error: 'Send { "confirm": true } to erase your personal data' }),
  })
  .meta({ id: 'ErasureRequest' });

export const erasureResponseSchema = z
  .object({ erasedCases: z.number().int().min(1) })
  .meta({ id: 'ErasureResponse' });

/** One case in the customer's export: their view of it with the whole public timeline, and what they submitted. */
export const exportedCaseSchema = customerCaseViewSchema
  .extend({
    description: z.string(),
    channel: z.enum(channels),
    trackingNumber: z.string().optional(),
    shipment: z.record(z.string(), z.unknown()).optional(),
    claim: moneySchema.optional(),
    compensation: moneySchema.extend({ rule: z.string() }).optional(),
    feedback: feedbackViewSchema.optional(),
    resolvedAt: isoTimestamp.optional(),
    closedAt: isoTimestamp.optional(),
  })
  .meta({ id: 'ExportedCase' });

export const customerExportSchema = z
  .object({
    customer: z.object({
      name: z.string(),
      email: z.string().optional(),
      phone: z.string().optional(),
      type: z.enum(customerTypes),
      tier: z.string(),
      locale: z.enum(locales),
    }),
    cases: z.array(exportedCaseSchema),
  })
  .meta({ id: 'CustomerExport' });

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
