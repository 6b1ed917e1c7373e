// The operator's service policy (DOMAIN.md: "every number here is a default that an operator can change"):
// one document of plain data that the domain takes as a parameter, like the clock. These defaults are today's
// values, so a deployment without a document behaves exactly as before; shared/service-policy-schema.ts
// validates a deployed document and fills whatever it leaves out from here.
import { duplicateWindowDays } from './case/intake.ts';
import { defaultAppealWindowDays } from './case-status.ts';
import { chinaPublicHolidays, type HolidayCalendarData } from './china-public-holidays.ts';
import type { CarrierCompensationPolicies } from './compensation.ts';
import { type DeliveryCommitmentTable, defaultDeliveryCommitments } from './delivery-commitment.ts';
import { defaultQuietHours, type QuietHours } from './quiet-hours.ts';
import { defaultSlaPolicy, type SlaPolicy } from './sla-policy.ts';
import { defaultSurveyPolicy, type SurveyPolicy } from './survey-policy.ts';

/** How long, in days, a case can be appealed, matched as a duplicate, or left resolved before it closes. */
export interface CaseWindows {
  /** After the resolution (DOMAIN.md §2: 1 year). */
  readonly appealDays: number;
  /** Same waybill, same customer, an open case created within this many days (DOMAIN.md §2). */
  readonly duplicateDays: number;
  /** A resolved case without an appeal or feedback closes this many days after its resolution. */
  readonly autoCloseDays: number;
}

export interface ServicePolicy {
  readonly sla: SlaPolicy;
  readonly deliveryCommitments: DeliveryCommitmentTable;
  /** Compensation overrides by carrier id (DOMAIN.md §6); what a carrier leaves out keeps the default. */
  readonly compensation: CarrierCompensationPolicies;
  readonly quietHours: QuietHours;
  readonly survey: SurveyPolicy;
  readonly windows: CaseWindows;
  /** Public holidays and make-up working days by year, each year `official` or `provisional`. */
  readonly calendar: HolidayCalendarData;
}

export const defaultCaseWindows: CaseWindows = {
  appealDays: defaultAppealWindowDays,
  duplicateDays: duplicateWindowDays,
  autoCloseDays: 7,
};

export const defaultServicePolicy: ServicePolicy = {
  sla: defaultSlaPolicy,
  deliveryCommitments: defaultDeliveryCommitments,
  compensation: {},
  quietHours: defaultQuietHours,
  survey: defaultSurveyPolicy,
  windows: defaultCaseWindows,
  calendar: chinaPublicHolidays,
};
