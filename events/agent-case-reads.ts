// The staff routes that read cases (API.md, "Agent routes"): the list and one case. A module of their own,
// so each function builds only the schemas of its routes when it loads (agent-api.ts lists them all).
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
import { caseIdPathSchema, compensationViewSchema, deadlinesSchema } from './case-fields.ts';
import { caseIdSchema, feedbackViewSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { defineRoute } from './route-contract.ts';

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

export const caseReadRoutes = {
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
};
