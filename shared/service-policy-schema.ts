// The service policy document (shared/domain/service-policy.ts), validated with zod. One declaration per
// part, each field defaulting to today's value: a document may give only what it changes, and adding a
// field to a part is one line here (the `satisfies` clauses fail to compile until it is added).
import * as z from 'zod';
import { type CaseType, categoriesByType, priorities, routes, services } from '#domain/case-model';
import type { HolidayYear } from '#domain/china-public-holidays';
import type { DeliveryCommitmentTable } from '#domain/delivery-commitment';
import { parcelReturnKinds, problemKinds } from '#domain/processes';
import type { QuietHours } from '#domain/quiet-hours';
import { type CaseWindows, defaultServicePolicy, type ServicePolicy } from '#domain/service-policy';
import type { ClockTarget, ResolutionTargets, SlaPolicy } from '#domain/sla-policy';
import type { SurveyPolicy } from '#domain/survey-policy';
import { carrierCompensationSchema, describeIssues } from './config.ts';

const defaults = defaultServicePolicy;

const clockTarget = z.discriminatedUnion('unit', [
  z.strictObject({ unit: z.literal('hours'), amount: z.number().positive() }),
  z.strictObject({ unit: z.literal('workingDays'), amount: z.number().int().min(0) }),
  z.strictObject({ unit: z.literal('calendarDays'), amount: z.number().int().positive() }),
]) satisfies z.ZodType<ClockTarget>;

/** A case type's resolution target, and any by category of that type. */
const resolutionRule = <T extends CaseType>(type: T) =>
  z.strictObject({
    default: clockTarget,
    byCategory: z.partialRecord(z.enum(categoriesByType[type]), clockTarget).optional(),
  });

const resolutionTargets = z.strictObject({
  complaint: resolutionRule('complaint'),
  exception: resolutionRule('exception'),
  inquiry: resolutionRule('inquiry'),
  suggestion: resolutionRule('suggestion'),
  claim: resolutionRule('claim'),
}) satisfies z.ZodType<ResolutionTargets>;

const hourFactors = z.partialRecord(z.enum(['firstResponse', 'plan', 'resolution']), z.number().positive());

const slaSchema = z.strictObject({
  firstResponse: clockTarget.default(defaults.sla.firstResponse),
  plan: clockTarget.default(defaults.sla.plan),
  resolution: resolutionTargets.default(defaults.sla.resolution),
  appeal: clockTarget.default(defaults.sla.appeal),
  priorityHourFactors: z.record(z.enum(priorities), hourFactors).default(defaults.sla.priorityHourFactors),
  atRiskShare: z.number().gt(0).lt(1).default(defaults.sla.atRiskShare),
  parcelReturn: z.record(z.enum(parcelReturnKinds), clockTarget).default(defaults.sla.parcelReturn),
  transfer: clockTarget.default(defaults.sla.transfer),
  appealRedo: clockTarget.default(defaults.sla.appealRedo),
  problemResolution: z.record(z.enum(problemKinds), clockTarget).default(defaults.sla.problemResolution),
}) satisfies z.ZodType<SlaPolicy>;

const workingDayCount = z.number().int().min(0);
const deliveryCommitmentsSchema = z.strictObject({
  workingDays: z
    .record(z.enum(services), z.partialRecord(z.enum(routes), workingDayCount))
    .default(defaults.deliveryCommitments.workingDays),
  completeDelayCalendarDays: z
    .record(z.enum(routes), workingDayCount)
    .default(defaults.deliveryCommitments.completeDelayCalendarDays),
}) satisfies z.ZodType<DeliveryCommitmentTable>;

const hour = z.number().int().min(0).max(23);
const quietHoursSchema = z.strictObject({
  startHour: hour.default(defaults.quietHours.startHour),
  endHour: hour.default(defaults.quietHours.endHour),
}) satisfies z.ZodType<QuietHours>;

const days = z.number().int().positive();
const surveySchema = z.strictObject({
  minDaysBetweenSurveys: days.default(defaults.survey.minDaysBetweenSurveys),
}) satisfies z.ZodType<SurveyPolicy>;

const windowsSchema = z.strictObject({
  appealDays: days.default(defaults.windows.appealDays),
  duplicateDays: days.default(defaults.windows.duplicateDays),
  autoCloseDays: days.default(defaults.windows.autoCloseDays),
}) satisfies z.ZodType<CaseWindows>;

const holidayYearSchema = z
  .strictObject({
    holidays: z
      .array(z.strictObject({ name: z.string().min(1), from: z.iso.date(), to: z.iso.date() }))
      .refine(
        (periods) => periods.every((period) => period.from <= period.to),
        'A holiday ends before it starts',
      )
      .readonly(),
    makeUpWorkingDays: z.array(z.iso.date()).readonly(),
    status: z.enum(['official', 'provisional']),
    source: z.string().min(1),
  })
  .readonly() satisfies z.ZodType<HolidayYear>;

/** Years given in the document replace those years of the defaults; the other years stay. */
const calendarSchema = z
  .record(z.string().regex(/^\d{4}$/, 'A year is four digits, e.g. "2027"'), holidayYearSchema)
  .superRefine((years, ctx) => {
    for (const [year, data] of Object.entries(years)) {
      const days = [
        ...data.holidays.flatMap((period) => [period.from, period.to]),
        ...data.makeUpWorkingDays,
      ];
      for (const day of days.filter((d) => !d.startsWith(`${year}-`))) {
        ctx.addIssue({ code: 'custom', path: [year], message: `${day} is not in ${year}` });
      }
    }
  })
  .transform((years) => ({ ...defaults.calendar, ...years }));

export const servicePolicySchema = z.strictObject({
  /** Free text for operators: which notice or decision this document carries. */
  description: z.string().optional(),
  sla: slaSchema.prefault({}),
  deliveryCommitments: deliveryCommitmentsSchema.prefault({}),
  compensation: carrierCompensationSchema.default({}),
  quietHours: quietHoursSchema.prefault({}),
  survey: surveySchema.prefault({}),
  windows: windowsSchema.prefault({}),
  calendar: calendarSchema.prefault({}),
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
