// The staff routes that change a case (API.md, "Agent routes"): assign, reply, plan, status, escalate,
// resolve, close, category and the processes. A module of their own, so each function builds only the
// schemas of these routes when it loads (agent-api.ts lists them all).
import * as z from 'zod';
import { caseStatuses, priorities, teams } from '#domain/case-model';
import { parcelReturnKinds, problemKinds, remedies } from '#domain/processes';
import { caseIdPathSchema, compensationViewSchema, deadlinesSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { defineRoute } from './route-contract.ts';

// ---------------------------------------------------------------------------------------------------------
// Requests

export const assignRequestSchema = z
  .strictObject({
    /** The staff member's subject; absent means "I take it". */
    assignee: humanText(1, 128).optional(),
    team: z.enum(teams).optional(),
  })
  .meta({ id: 'AssignRequest' });

export const replyRequestSchema = z
  .strictObject({
    message: humanText(1, 5000),
    internal: z.boolean().default(false),
  })
  .meta({ id: 'ReplyRequest' });

/** What happened to the parcel, for the compensation calculator (DOMAIN.md §6). */
export const compensationSituationSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lost'), actualLoss: moneySchema.optional() }),
    z.strictObject({
      kind: z.literal('damaged'),
      severity: z.enum(['packaging', 'contents']),
      assessedLoss: moneySchema.optional(),
    }),
    z.strictObject({ kind: z.literal('delayed'), daysLate: z.number().int().min(0).max(365).optional() }),
  ])
  .meta({ id: 'CompensationSituation' });

/** Either an amount agreed with the customer, or a situation the carrier's policy prices. */
const compensationInput = {
  compensation: moneySchema.optional(),
  situation: compensationSituationSchema.optional(),
  /** A non-cash remedy beside or instead of money (003 §4.3.3, 002 §3.3). */
  remedy: z.enum(remedies).optional(),
};
const notBoth = (body: { compensation?: unknown; situation?: unknown }) =>
  body.compensation === undefined || body.situation === undefined;
const notBothIssue = {
  message: 'Give either compensation or situation, not both',
  path: ['situation'],
};

export const planRequestSchema = z
  .strictObject({ message: humanText(1, 5000), ...compensationInput })
  .refine(notBoth, notBothIssue)
  .meta({ id: 'PlanRequest' });

export const statusRequestSchema = z
  .strictObject({
    status: z.enum(['awaiting_customer', 'in_progress']),
    reason: humanText(1, 1000).optional(),
  })
  .meta({ id: 'StatusRequest' });

export const escalateRequestSchema = z
  .strictObject({ reason: humanText(1, 1000) })
  .meta({ id: 'EscalateRequest' });

export const resolveRequestSchema = z
  .strictObject({ resolution: humanText(1, 5000), ...compensationInput })
  .refine(notBoth, notBothIssue)
  .meta({ id: 'ResolveRequest' });

export const categoryRequestSchema = z
  .strictObject({ category: z.string().min(1).max(40) })
  .meta({ id: 'CategoryCorrectionRequest' });

/** Returns and re-sends (002 §3.4): `start` records one and starts its clock, `done` meets it. */
export const parcelReturnRequestSchema = z
  .discriminatedUnion('step', [
    z.strictObject({
      step: z.literal('start'),
      kind: z.enum(parcelReturnKinds),
      note: humanText(1, 1000).optional(),
    }),
    z.strictObject({ step: z.literal('done'), note: humanText(1, 1000).optional() }),
  ])
  .meta({ id: 'ParcelReturnRequest' });

/** 004 §2.4: technical (72 h) or process (48 h) problem; null clears it. */
export const problemRequestSchema = z
  .strictObject({ problem: z.enum(problemKinds).nullable() })
  .meta({ id: 'ProblemRequest' });

/** Force majeure (不可抗力, 002 §3.1) as the recorded cause, or withdrawn. */
export const causeRequestSchema = z
  .strictObject({ forceMajeure: z.boolean(), reason: humanText(1, 1000) })
  .meta({ id: 'CauseRequest' });

export const appealRedoRequestSchema = z
  .strictObject({ reason: humanText(1, 1000) })
  .meta({ id: 'AppealRedoRequest' });
// ---------------------------------------------------------------------------------------------------------
// Response

/** What every agent write answers: the case as it is now, in a few fields. */
export const caseActionResponseSchema = z
  .object({
    caseId: caseIdSchema,
    status: z.enum(caseStatuses),
    owner: z.string().nullable(),
    handler: z.string().nullable(),
    team: z.enum(teams),
    priority: z.enum(priorities),
    category: z.string(),
    escalationLevel: z.number().int(),
    deadlines: deadlinesSchema,
    compensation: compensationViewSchema.nullable(),
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'CaseActionResponse' });

// ---------------------------------------------------------------------------------------------------------
// The routes

const staffErrors = [400, 401, 403, 404, 409, 413, 415];
const caseWrite = <const B extends z.ZodType, const S extends number>(
  action: string,
  summary: string,
  body: B,
  status: S,
  description: string,
) =>
  defineRoute({
    method: 'POST',
    path: `/agent/cases/{caseId}/${action}`,
    summary,
    auth: 'jwt',
    params: caseIdPathSchema,
    body,
    success: { status, schema: caseActionResponseSchema, description },
    errors: staffErrors,
  });

export const caseWriteRoutes = {
  assign: caseWrite(
    'assign',
    'Take or hand over a case (the first taker stays owner)',
    assignRequestSchema,
    200,
    'Assigned',
  ),
  reply: caseWrite(
    'reply',
    'A public reply to the customer, or an internal note',
    replyRequestSchema,
    201,
    'Recorded; a public reply is on its way to the customer',
  ),
  plan: caseWrite(
    'plan',
    'Record the handling plan, with any compensation and its rule',
    planRequestSchema,
    201,
    'Recorded and on its way to the customer',
  ),
  status: caseWrite(
    'status',
    'Wait for the customer, or work on again',
    statusRequestSchema,
    200,
    'Status changed',
  ),
  escalate: caseWrite(
    'escalate',
    'One level up: specialist → supervisor → manager',
    escalateRequestSchema,
    200,
    'Escalated',
  ),
  resolve: caseWrite(
    'resolve',
    'Resolve, telling the customer; schedules the survey',
    resolveRequestSchema,
    200,
    'Resolved',
  ),
  close: defineRoute({
    method: 'POST',
    path: '/agent/cases/{caseId}/close',
    summary: 'Close a resolved case without waiting for feedback (supervisor+)',
    auth: 'jwt',
    params: caseIdPathSchema,
    success: { status: 200, schema: caseActionResponseSchema, description: 'Closed' },
    errors: [400, 401, 403, 404, 409],
  }),
  correctCategory: caseWrite(
    'category',
    'Correct the category; the case is routed again and its clocks keep the time used',
    categoryRequestSchema,
    200,
    'Corrected',
  ), // The processes (README "Processes").
  parcelReturn: caseWrite(
    'return',
    'Record a return or re-send (002 §3.4) and start its clock, or record it done',
    parcelReturnRequestSchema,
    200,
    'Recorded',
  ),
  problem: caseWrite(
    'problem',
    'Mark a technical (72 h) or process (48 h) problem (004 §2.4); the resolution clock takes that target',
    problemRequestSchema,
    200,
    'Recorded; the clocks keep the time used',
  ),
  cause: caseWrite(
    'cause',
    'Record force majeure as the cause (002 §3.1), or withdraw it; the customer is told',
    causeRequestSchema,
    200,
    'Recorded',
  ),
  appealRedo: caseWrite(
    'appeal-redo',
    'Order an answered appeal redone within 5 days (supervisor+)',
    appealRedoRequestSchema,
    200,
    'Back under review with the redo clock',
  ),
};
