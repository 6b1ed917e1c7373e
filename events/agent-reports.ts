// The staff report route (API.md, "Agent routes"): a range of days summed. A module of its own, so the
// ReportSummary function builds only its schemas when it loads (agent-api.ts lists every staff route).
import * as z from 'zod';
import { defineRoute } from './route-contract.ts';

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

export const reportRoutes = {
  reportSummary: defineRoute({
    method: 'GET',
    path: '/agent/reports/summary',
    summary: 'Counts, CSAT, NPS, medians and SLA compliance of a range of days (supervisor+, auditor)',
    auth: 'jwt',
    query: reportQuerySchema,
    success: { status: 200, schema: reportSummarySchema, description: 'The summary' },
    errors: [400, 401, 403],
  }),
};
