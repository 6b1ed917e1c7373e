// The agent routes (API.md, "Agent routes") and their payloads. The handlers validate with them, the tests build
// from them and the OpenAPI document is generated from them.
import * as z from 'zod';
import {
  caseStatuses,
  caseTypes,
  categorySources,
  channels,
  customerTiers,
  priorities,
  teams,
} from '#domain/case-model';
import { parcelReturnKinds, problemKinds, remedies } from '#domain/processes';
import { timelineKinds } from '#domain/support-case';
import { staffAttachmentSchema } from './attachment-schemas.ts';
import { caseIdPathSchema, deadlinesSchema, phoneSchema } from './case-fields.ts';
import { caseIdSchema, feedbackViewSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { incidentRoutes } from './incident-api.ts';
import { defineRoute } from './route-contract.ts';

// ---------------------------------------------------------------------------------------------------------
// Requests

export const listCasesQuerySchema = z
  .object({
    status: z.enum(caseStatuses).optional(),
    team: z.enum(teams).optional(),
    breached: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(4000).optional(),
  })
  .meta({ id: 'ListCasesQuery' });
export type ListCasesQuery = z.output<typeof listCasesQuerySchema>;

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

/** The days a report may name: none before the service, and far-future days only break date arithmetic. */
const reportDays = { first: '2020-01-01', last: '2099-12-31' } as const;

/** A calendar day (Asia/Shanghai) that exists, within the years a report can cover. */
const localDate = z.iso
  .date({ error: 'Use a calendar date, YYYY-MM-DD (Asia/Shanghai)' })
  .refine((day) => day >= reportDays.first && day <= reportDays.last, {
    message: `Use a date from ${reportDays.first} to ${reportDays.last}`,
  });

export const reportQuerySchema = z
  .object({ from: localDate.optional(), to: localDate.optional() })
  .meta({ id: 'ReportQuery' });

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
/**
 * `?reveal=contact&reason=…`: the contact details in clear for a reader who would see them masked (an
 * agent of another team); the reason goes on the audit trail with the read.
 */
export const agentCaseQuerySchema = z
  .object({
    reveal: z.enum(['contact']).optional(),
    reason: humanText(3, 500).optional(),
  })
  .refine((query) => query.reveal === undefined || query.reason !== undefined, {
    path: ['reason'],
    message: 'Give a reason (3–500 characters) to reveal the contact details',
  })
  .meta({ id: 'AgentCaseQuery' });
export type AgentCaseQuery = z.output<typeof agentCaseQuerySchema>;

// ---------------------------------------------------------------------------------------------------------
// Responses

export const clockViewSchema = z.object({
  state: z.enum(['running', 'paused', 'met', 'breached']),
  startedAt: isoTimestamp,
  dueAt: isoTimestamp,
  pausedMs: z.number(),
  metAt: isoTimestamp.nullable(),
  breachedAt: isoTimestamp.nullable(),
  atRisk: z.boolean().optional(),
  /** The due time rests on a provisional or missing calendar year (API.md, "Added in the second round"). */
  approximate: z.literal(true).optional(),
});

export const agentTimelineEntrySchema = z.object({
  entryId: z.string(),
  at: isoTimestamp,
  kind: z.enum(timelineKinds),
  actor: z.string(),
  message: z.string(),
  internal: z.boolean(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** How the customer's words came: on the first entry and on each customer message (issue 16). */
  channel: z.enum(channels).optional(),
});

export const compensationViewSchema = z
  .object({
    amount: z.number(),
    currency: z.string(),
    rule: z.string(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: 'Compensation' });

export const agentCaseViewSchema = z
  .object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    categorySource: z.enum(categorySources),
    status: z.enum(caseStatuses),
    priority: z.enum(priorities),
    team: z.enum(teams),
    owner: z.string().nullable(),
    handler: z.string().nullable(),
    escalationLevel: z.number().int().min(0).max(2),
    channel: z.enum(channels),
    trackingNumber: z.string().optional(),
    subject: z.string(),
    description: z.string(),
    customer: z.object({
      name: z.string(),
      email: z.string().optional(),
      phone: z.string().optional(),
      type: z.string(),
      tier: z.string(),
      locale: z.string(),
    }),
    /** True when the reader may not see contact details in clear (auditors). */
    contactMasked: z.boolean(),
    shipment: z.record(z.string(), z.unknown()).optional(),
    claim: moneySchema.optional(),
    clocks: z.record(z.string(), clockViewSchema),
    deadlines: deadlinesSchema,
    compensation: compensationViewSchema.nullable(),
    feedback: feedbackViewSchema.nullable(),
    appealCount: z.number().int(),
    linkedCaseIds: z.array(caseIdSchema),
    timeline: z.array(agentTimelineEntrySchema),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    resolvedAt: isoTimestamp.optional(),
    closedAt: isoTimestamp.optional(),
    /** Intake gave up on the case after its re-queues; it waits in `received` for a supervisor. */
    intakeFailedAt: isoTimestamp.optional(),
    /** The processes (README "Processes"): the return under way or last recorded, its clock is `parcelReturn`. */
    parcelReturnKind: z.enum(parcelReturnKinds).optional(),
    /** Technical (72 h) or process (48 h) problem: the resolution clock's target. */
    problem: z.enum(problemKinds).optional(),
    /** The non-cash remedy of the latest plan or resolution. */
    remedy: z.enum(remedies).optional(),
    /** The cause was recorded as force majeure. */
    forceMajeure: z.literal(true).optional(),
    /** The customer's tier (standard, vip, enterprise) the case is prioritised by. */
    tier: z.enum(customerTiers),
    /** Uploaded files, with short-lived download links for all but auditors. */
    attachments: z.array(staffAttachmentSchema).optional(),
    /** The incident the case is linked to (API.md, "Added in the second round"). */
    incidentId: z.string().optional(),
  })
  .meta({ id: 'AgentCaseView' });
export type AgentCaseView = z.infer<typeof agentCaseViewSchema>;

export const caseSummarySchema = z
  .object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    status: z.enum(caseStatuses),
    priority: z.enum(priorities),
    team: z.enum(teams),
    owner: z.string().nullable(),
    handler: z.string().nullable(),
    escalationLevel: z.number().int(),
    channel: z.enum(channels),
    subject: z.string(),
    nearestDueAt: isoTimestamp.nullable(),
    atRisk: z.boolean(),
    breached: z.boolean(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    /** Intake gave up on the case: `GET /agent/cases?status=received` is the supervisors' queue of these. */
    intakeFailedAt: isoTimestamp.optional(),
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseListResponseSchema = z
  .object({ cases: z.array(caseSummarySchema), nextCursor: z.string().optional() })
  .meta({ id: 'CaseList' });

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

const medianSchema = z
  .object({ atMostMinutes: z.number().nullable(), samples: z.number().int() })
  .nullable()
  .meta({ description: 'Upper bound of the histogram bucket holding the median; null beyond 30 days' });

const complianceSchema = z.object({
  met: z.number().int(),
  breached: z.number().int(),
  compliancePercent: z.number().nullable(),
});

const csatSchema = z.object({
  responses: z.number().int(),
  average: z.number().nullable(),
  satisfiedPercent: z.number().nullable(),
});
const slaComplianceSchema = z.object({
  firstResponse: complianceSchema,
  plan: complianceSchema,
  resolution: complianceSchema,
  appeal: complianceSchema,
});
const targetCheckSchema = z.object({
  target: z.number(),
  actual: z.number().nullable(),
  met: z.boolean().nullable(),
});
const targetsSchema = z
  .object({
    satisfiedPercent: targetCheckSchema,
    slaCompliance: z.object({
      firstResponse: targetCheckSchema,
      plan: targetCheckSchema,
      resolution: targetCheckSchema,
      appeal: targetCheckSchema,
    }),
  })
  .meta({ id: 'ReportTargets' });
const groupReportSchema = z.object({
  created: z.number().int(),
  resolved: z.number().int(),
  csat: csatSchema,
  slaCompliance: slaComplianceSchema,
  targets: targetsSchema,
});

export const reportSummarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    counts: z.object({
      byType: z.record(z.string(), z.number()),
      byCategory: z.record(z.string(), z.record(z.string(), z.number())),
      byChannel: z.record(z.string(), z.number()),
      byTeam: z.record(z.string(), z.number()),
      byStatus: z.record(z.string(), z.number()),
      byResult: z.record(z.string(), z.number()),
      created: z.number().int(),
      complaintSharePercent: z.number().nullable(),
    }),
    csat: csatSchema,
    nps: z.object({ responses: z.number().int(), score: z.number() }).nullable(),
    medians: z.object({ firstResponse: medianSchema, resolution: medianSchema }),
    slaCompliance: slaComplianceSchema,
    byDay: z.array(z.object({ day: z.string(), created: z.number().int(), resolved: z.number().int() })),
    /** Each target beside its figure: satisfied ≥ 90 %, and the compliance goal of each clock. */
    targets: targetsSchema,
    /** The range by Beijing month, summed from its days. */
    byMonth: z.array(groupReportSchema.extend({ month: z.string() })),
    /** The range by the team that held each case when it was counted. */
    byTeam: z.record(z.string(), groupReportSchema),
  })
  .meta({ id: 'ReportSummary' });
export type ReportSummaryResponse = z.infer<typeof reportSummarySchema>;

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

// ---------------------------------------------------------------------------------------------------------
// The agent routes

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

export const agentRoutes = {
  listCases: defineRoute({
    method: 'GET',
    path: '/agent/cases',
    summary: 'A page of cases, most urgent first',
    auth: 'jwt',
    query: listCasesQuerySchema,
    success: { status: 200, schema: caseListResponseSchema, description: 'The page; nextCursor when more' },
    errors: [400, 401, 403],
  }),
  getCase: defineRoute({
    method: 'GET',
    path: '/agent/cases/{caseId}',
    summary:
      'The whole case with its audit trail; contact details in clear for its owner, handler, team and ' +
      'supervisors and above, masked for others unless revealed with a reason (?reveal=contact&reason=…)',
    auth: 'jwt',
    params: caseIdPathSchema,
    query: agentCaseQuerySchema,
    success: { status: 200, schema: agentCaseViewSchema, description: 'The case' },
    errors: [400, 401, 403, 404],
  }),
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
  ),
  reportSummary: defineRoute({
    method: 'GET',
    path: '/agent/reports/summary',
    summary: 'Counts, CSAT, NPS, medians and SLA compliance of a range of days (supervisor+, auditor)',
    auth: 'jwt',
    query: reportQuerySchema,
    success: { status: 200, schema: reportSummarySchema, description: 'The summary' },
    errors: [400, 401, 403],
  }),
  // The processes (README "Processes").
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
  setCustomerTier: defineRoute({
    method: 'PUT',
    path: '/agent/customers/tier',
    summary: "Set a customer's tier (manager); their open cases are re-prioritised",
    auth: 'jwt',
    body: customerTierRequestSchema,
    success: { status: 200, schema: customerTierResponseSchema, description: 'The tier now held' },
    errors: [400, 401, 403, 413, 415],
  }),
  ...incidentRoutes,
};
