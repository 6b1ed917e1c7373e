// The staff routes that change a case (API.md, "Agent routes"): assign, reply, plan, status, escalate,
// resolve, close, category and the processes. A module of their own, so each function builds only the
// schemas of these routes when it loads (agent-api.ts lists them all).

import { caseStatuses, priorities, teams } from '#domain/case-model';
import { parcelReturnKinds, problemKinds, remedies } from '#domain/processes';
import * as z from '#shared/zod';
import { caseIdPathSchema, compensationViewSchema, deadlinesSchema } from './case-fields.ts';
import { caseIdSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { defineRoute } from './route-contract.ts';

// ---------------------------------------------------------------------------------------------------------
// Requests

export const assignRequestSchema = z.withMeta(
  z.strictObject({
    /** The staff member's subject; absent means "I take it". */
    assignee: z.optional(humanText(1, 128)),
    team: z.optional(z.enum(teams)),
  }),
  { id: 'AssignRequest' },
);

export const replyRequestSchema = z.withMeta(
  z.strictObject({
    message: humanText(1, 5000),
    internal: z._default(z.boolean(), false),
  }),
  { id: 'ReplyRequest' },
);

/** What happened to the parcel, for the compensation calculator (DOMAIN.md §6). */
export const compensationSituationSchema = z.withMeta(
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lost'), actualLoss: z.optional(moneySchema) }),
    z.strictObject({
      kind: z.literal('damaged'),
      severity: z.enum(['packaging', 'contents']),
      assessedLoss: z.optional(moneySchema),
    }),
    z.strictObject({
      kind: z.literal('delayed'),
      daysLate: z.optional(z.number().check(z.int(), z.gte(0), z.lte(365))),
    }),
  ]),
  { id: 'CompensationSituation' },
);

/** Either an amount agreed with the customer, or a situation the carrier's policy prices. */
const compensationInput = {
  compensation: z.optional(moneySchema),
  situation: z.optional(compensationSituationSchema),
  /** A non-cash remedy beside or instead of money (003 §4.3.3, 002 §3.3). */
  remedy: z.optional(z.enum(remedies)),
};
const notBoth = (body: { compensation?: unknown; situation?: unknown }) =>
  body.compensation === undefined || body.situation === undefined;
const notBothIssue = {
  message: 'Give either compensation or situation, not both',
  path: ['situation'],
};

export const planRequestSchema = z.withMeta(
  z
    .strictObject({ message: humanText(1, 5000), ...compensationInput })
    .check(z.refine(notBoth, notBothIssue)),
  { id: 'PlanRequest' },
);

export const statusRequestSchema = z.withMeta(
  z.strictObject({
    status: z.enum(['awaiting_customer', 'in_progress']),
    reason: z.optional(humanText(1, 1000)),
  }),
  { id: 'StatusRequest' },
);

export const escalateRequestSchema = z.withMeta(z.strictObject({ reason: humanText(1, 1000) }), {
  id: 'EscalateRequest',
});

export const resolveRequestSchema = z.withMeta(
  z
    .strictObject({ resolution: humanText(1, 5000), ...compensationInput })
    .check(z.refine(notBoth, notBothIssue)),
  { id: 'ResolveRequest' },
);

export const categoryRequestSchema = z.withMeta(
  z.strictObject({ category: z.string().check(z.minLength(1), z.maxLength(40)) }),
  { id: 'CategoryCorrectionRequest' },
);

/** Returns and re-sends (002 §3.4): `start` records one and starts its clock, `done` meets it. */
export const parcelReturnRequestSchema = z.withMeta(
  z.discriminatedUnion('step', [
    z.strictObject({
      step: z.literal('start'),
      kind: z.enum(parcelReturnKinds),
      note: z.optional(humanText(1, 1000)),
    }),
    z.strictObject({ step: z.literal('done'), note: z.optional(humanText(1, 1000)) }),
  ]),
  { id: 'ParcelReturnRequest' },
);

/** 004 §2.4: technical (72 h) or process (48 h) problem; null clears it. */
export const problemRequestSchema = z.withMeta(
  z.strictObject({ problem: z.nullable(z.enum(problemKinds)) }),
  { id: 'ProblemRequest' },
);

/** Force majeure (不可抗力, 002 §3.1) as the recorded cause, or withdrawn. */
export const causeRequestSchema = z.withMeta(
  z.strictObject({ forceMajeure: z.boolean(), reason: humanText(1, 1000) }),
  { id: 'CauseRequest' },
);

export const appealRedoRequestSchema = z.withMeta(z.strictObject({ reason: humanText(1, 1000) }), {
  id: 'AppealRedoRequest',
});
// ---------------------------------------------------------------------------------------------------------
// Response

/** What every agent write answers: the case as it is now, in a few fields. */
export const caseActionResponseSchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    status: z.enum(caseStatuses),
    owner: z.nullable(z.string()),
    handler: z.nullable(z.string()),
    team: z.enum(teams),
    priority: z.enum(priorities),
    category: z.string(),
    escalationLevel: z.number().check(z.int()),
    deadlines: deadlinesSchema,
    compensation: z.nullable(compensationViewSchema),
    updatedAt: isoTimestamp,
  }),
  { id: 'CaseActionResponse' },
);

// ---------------------------------------------------------------------------------------------------------
// The routes

const staffErrors = [400, 401, 403, 404, 409, 413, 415];
const caseWrite = <const B extends z.ZodMiniType, const S extends number>(
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
