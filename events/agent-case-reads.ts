// The staff routes that read cases (API.md, "Agent routes"): the list and one case. A module of their own,
// so each function builds only the schemas of its routes when it loads (agent-api.ts lists them all).

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
import * as z from '#shared/zod';
import { staffAttachmentSchema } from './attachment-schemas.ts';
import { caseIdPathSchema, compensationViewSchema, deadlinesSchema } from './case-fields.ts';
import { caseIdSchema, feedbackViewSchema, humanText, isoTimestamp, moneySchema } from './common.ts';
import { defineRoute } from './route-contract.ts';

export const listCasesQuerySchema = z.withMeta(
  z.object({
    status: z.optional(z.enum(caseStatuses)),
    team: z.optional(z.enum(teams)),
    breached: z.pipe(
      z.optional(z.enum(['true', 'false'])),
      z.transform((value) => value === 'true'),
    ),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
    cursor: z.optional(z.string().check(z.maxLength(4000))),
  }),
  { id: 'ListCasesQuery' },
);
export type ListCasesQuery = z.output<typeof listCasesQuerySchema>;

/**
 * `?reveal=contact&reason=…`: the contact details in clear for a reader who would see them masked (an
 * agent of another team); the reason goes on the audit trail with the read.
 */
export const agentCaseQuerySchema = z.withMeta(
  z
    .object({
      reveal: z.optional(z.enum(['contact'])),
      reason: z.optional(humanText(3, 500)),
    })
    .check(
      z.refine((query) => query.reveal === undefined || query.reason !== undefined, {
        path: ['reason'],
        message: 'Give a reason (3–500 characters) to reveal the contact details',
      }),
    ),
  { id: 'AgentCaseQuery' },
);
export type AgentCaseQuery = z.output<typeof agentCaseQuerySchema>;

export const clockViewSchema = z.object({
  state: z.enum(['running', 'paused', 'met', 'breached']),
  startedAt: isoTimestamp,
  dueAt: isoTimestamp,
  pausedMs: z.number(),
  metAt: z.nullable(isoTimestamp),
  breachedAt: z.nullable(isoTimestamp),
  atRisk: z.optional(z.boolean()),
  /** The due time rests on a provisional or missing calendar year (API.md, "Added in the second round"). */
  approximate: z.optional(z.literal(true)),
});

export const agentTimelineEntrySchema = z.object({
  entryId: z.string(),
  at: isoTimestamp,
  kind: z.enum(timelineKinds),
  actor: z.string(),
  message: z.string(),
  internal: z.boolean(),
  data: z.optional(z.record(z.string(), z.unknown())),
  /** How the customer's words came: on the first entry and on each customer message (issue 16). */
  channel: z.optional(z.enum(channels)),
});

export const agentCaseViewSchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    categorySource: z.enum(categorySources),
    status: z.enum(caseStatuses),
    priority: z.enum(priorities),
    team: z.enum(teams),
    owner: z.nullable(z.string()),
    handler: z.nullable(z.string()),
    escalationLevel: z.number().check(z.int(), z.gte(0), z.lte(2)),
    channel: z.enum(channels),
    trackingNumber: z.optional(z.string()),
    subject: z.string(),
    description: z.string(),
    customer: z.object({
      name: z.string(),
      email: z.optional(z.string()),
      phone: z.optional(z.string()),
      type: z.string(),
      tier: z.string(),
      locale: z.string(),
    }),
    /** True when the reader may not see contact details in clear (auditors). */
    contactMasked: z.boolean(),
    shipment: z.optional(z.record(z.string(), z.unknown())),
    claim: z.optional(moneySchema),
    clocks: z.record(z.string(), clockViewSchema),
    deadlines: deadlinesSchema,
    compensation: z.nullable(compensationViewSchema),
    feedback: z.nullable(feedbackViewSchema),
    appealCount: z.number().check(z.int()),
    linkedCaseIds: z.array(caseIdSchema),
    timeline: z.array(agentTimelineEntrySchema),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    resolvedAt: z.optional(isoTimestamp),
    closedAt: z.optional(isoTimestamp),
    /** Intake gave up on the case after its re-queues; it waits in `received` for a supervisor. */
    intakeFailedAt: z.optional(isoTimestamp),
    /** The processes (README "Processes"): the return under way or last recorded, its clock is `parcelReturn`. */
    parcelReturnKind: z.optional(z.enum(parcelReturnKinds)),
    /** Technical (72 h) or process (48 h) problem: the resolution clock's target. */
    problem: z.optional(z.enum(problemKinds)),
    /** The non-cash remedy of the latest plan or resolution. */
    remedy: z.optional(z.enum(remedies)),
    /** The cause was recorded as force majeure. */
    forceMajeure: z.optional(z.literal(true)),
    /** The customer's tier (standard, vip, enterprise) the case is prioritised by. */
    tier: z.enum(customerTiers),
    /** Uploaded files, with short-lived download links for all but auditors. */
    attachments: z.optional(z.array(staffAttachmentSchema)),
    /** The incident the case is linked to (API.md, "Added in the second round"). */
    incidentId: z.optional(z.string()),
  }),
  { id: 'AgentCaseView' },
);
export type AgentCaseView = z.infer<typeof agentCaseViewSchema>;

export const caseSummarySchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    type: z.enum(caseTypes),
    category: z.string(),
    status: z.enum(caseStatuses),
    priority: z.enum(priorities),
    team: z.enum(teams),
    owner: z.nullable(z.string()),
    handler: z.nullable(z.string()),
    escalationLevel: z.number().check(z.int()),
    channel: z.enum(channels),
    subject: z.string(),
    nearestDueAt: z.nullable(isoTimestamp),
    atRisk: z.boolean(),
    breached: z.boolean(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    /** Intake gave up on the case: `GET /agent/cases?status=received` is the supervisors' queue of these. */
    intakeFailedAt: z.optional(isoTimestamp),
  }),
  { id: 'CaseSummary' },
);
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseListResponseSchema = z.withMeta(
  z.object({ cases: z.array(caseSummarySchema), nextCursor: z.optional(z.string()) }),
  { id: 'CaseList' },
);

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
