// The service policy document (shared/domain/service-policy.ts), validated with zod. One declaration per
// part, each field defaulting to today's value: a document may give only what it changes, and adding a
// field to a part is one line here (the `satisfies` clauses fail to compile until it is added).

import { type CaseType, categoriesByType, priorities, routes, services } from '#domain/case-model';
import type { HolidayYear } from '#domain/china-public-holidays';
import type { DeliveryCommitmentTable } from '#domain/delivery-commitment';
import { parcelReturnKinds, problemKinds } from '#domain/processes';
import type { QuietHours } from '#domain/quiet-hours';
import { type CaseWindows, defaultServicePolicy, type ServicePolicy } from '#domain/service-policy';
import type { ClockTarget, ResolutionTargets, SlaPolicy } from '#domain/sla-policy';
import type { SurveyPolicy } from '#domain/survey-policy';
import { carrierCompensationSchema, describeIssues } from './config.ts';
import * as z from './zod.ts';

const defaults = defaultServicePolicy;

const clockTarget = z.discriminatedUnion('unit', [
  z.strictObject({ unit: z.literal('hours'), amount: z.number().check(z.positive()) }),
  z.strictObject({ unit: z.literal('workingDays'), amount: z.number().check(z.int(), z.gte(0)) }),
  z.strictObject({ unit: z.literal('calendarDays'), amount: z.number().check(z.int(), z.positive()) }),
]) satisfies z.ZodMiniType<ClockTarget>;

/** A case type's resolution target, and any by category of that type. */
const resolutionRule = <T extends CaseType>(type: T) =>
  z.strictObject({
    default: clockTarget,
    byCategory: z.optional(z.partialRecord(z.enum(categoriesByType[type]), clockTarget)),
  });

const resolutionTargets = z.strictObject({
  complaint: resolutionRule('complaint'),
  exception: resolutionRule('exception'),
  inquiry: resolutionRule('inquiry'),
  suggestion: resolutionRule('suggestion'),
  claim: resolutionRule('claim'),
}) satisfies z.ZodMiniType<ResolutionTargets>;

const hourFactors = z.partialRecord(
  z.enum(['firstResponse', 'plan', 'resolution']),
  z.number().check(z.positive()),
);

const slaSchema = z.strictObject({
  firstResponse: z._default(clockTarget, defaults.sla.firstResponse),
  plan: z._default(clockTarget, defaults.sla.plan),
  resolution: z._default(resolutionTargets, defaults.sla.resolution),
  appeal: z._default(clockTarget, defaults.sla.appeal),
  priorityHourFactors: z._default(
    z.record(z.enum(priorities), hourFactors),
    defaults.sla.priorityHourFactors,
  ),
  atRiskShare: z._default(z.number().check(z.gt(0), z.lt(1)), defaults.sla.atRiskShare),
  parcelReturn: z._default(z.record(z.enum(parcelReturnKinds), clockTarget), defaults.sla.parcelReturn),
  transfer: z._default(clockTarget, defaults.sla.transfer),
  appealRedo: z._default(clockTarget, defaults.sla.appealRedo),
  problemResolution: z._default(z.record(z.enum(problemKinds), clockTarget), defaults.sla.problemResolution),
}) satisfies z.ZodMiniType<SlaPolicy>;

const workingDayCount = z.number().check(z.int(), z.gte(0));
const deliveryCommitmentsSchema = z.strictObject({
  workingDays: z._default(
    z.record(z.enum(services), z.partialRecord(z.enum(routes), workingDayCount)),
    defaults.deliveryCommitments.workingDays,
  ),
  completeDelayCalendarDays: z._default(
    z.record(z.enum(routes), workingDayCount),
    defaults.deliveryCommitments.completeDelayCalendarDays,
  ),
}) satisfies z.ZodMiniType<DeliveryCommitmentTable>;

const hour = z.number().check(z.int(), z.gte(0), z.lte(23));
const quietHoursSchema = z.strictObject({
  startHour: z._default(hour, defaults.quietHours.startHour),
  endHour: z._default(hour, defaults.quietHours.endHour),
}) satisfies z.ZodMiniType<QuietHours>;

const days = z.number().check(z.int(), z.positive());
const surveySchema = z.strictObject({
  minDaysBetweenSurveys: z._default(days, defaults.survey.minDaysBetweenSurveys),
}) satisfies z.ZodMiniType<SurveyPolicy>;

const windowsSchema = z.strictObject({
  appealDays: z._default(days, defaults.windows.appealDays),
  duplicateDays: z._default(days, defaults.windows.duplicateDays),
  autoCloseDays: z._default(days, defaults.windows.autoCloseDays),
}) satisfies z.ZodMiniType<CaseWindows>;

const holidayYearSchema = z.readonly(
  z.strictObject({
    holidays: z.readonly(
      z
        .array(
          z.strictObject({ name: z.string().check(z.minLength(1)), from: z.iso.date(), to: z.iso.date() }),
        )
        .check(
          z.refine(
            (periods) => periods.every((period) => period.from <= period.to),
            'A holiday ends before it starts',
          ),
        ),
    ),
    makeUpWorkingDays: z.readonly(z.array(z.iso.date())),
    status: z.enum(['official', 'provisional']),
    source: z.string().check(z.minLength(1)),
  }),
) satisfies z.ZodMiniType<HolidayYear>;

/** Years given in the document replace those years of the defaults; the other years stay. */
const calendarSchema = z.pipe(
  z
    .record(z.string().check(z.regex(/^\d{4}$/, 'A year is four digits, e.g. "2027"')), holidayYearSchema)
    .check(
      z.superRefine((years, ctx) => {
        for (const [year, data] of Object.entries(years)) {
          const days = [
            ...data.holidays.flatMap((period) => [period.from, period.to]),
            ...data.makeUpWorkingDays,
          ];
          for (const day of days.filter((d) => !d.startsWith(`${year}-`))) {
            ctx.addIssue({ code: 'custom', path: [year], message: `${day} is not in ${year}` });
          }
        }
      }),
    ),
  z.transform((years) => ({ ...defaults.calendar, ...years })),
);

export const servicePolicySchema = z.strictObject({
  /** Free text for operators: which notice or decision this document carries. */
  description: z.optional(z.string()),
  sla: z.prefault(slaSchema, {}),
  deliveryCommitments: z.prefault(deliveryCommitmentsSchema, {}),
  compensation: z._default(carrierCompensationSchema, {}),
  quietHours: z.prefault(quietHoursSchema, {}),
  survey: z.prefault(surveySchema, {}),
  windows: z.prefault(windowsSchema, {}),
  calendar: z.prefault(calendarSchema, {}),
});

export type ServicePolicyDocument = z.input<typeof servicePolicySchema>;

/** The policy a document describes, or the reasons it is refused, one per problem, each with its path. */
export function parseServicePolicy(
  document: unknown,
): { ok: true; policy: ServicePolicy } | { ok: false; problems: string } {
  const parsed = servicePolicySchema.safeParse(document);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues) };
  const { description: _description, ...policy } = parsed.data;
  return { ok: true, policy };
}

/** The same, from the JSON text of a document. */
export function parseServicePolicyText(
  text: string,
): { ok: true; policy: ServicePolicy } | { ok: false; problems: string } {
  try {
    return parseServicePolicy(JSON.parse(text));
  } catch {
    return { ok: false, problems: 'The service policy is not JSON' };
  }
}
