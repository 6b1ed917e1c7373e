// Do not disturb, for surveys (DOMAIN.md §7–8): at most one survey per customer per 7 days, matched by
// the keyed hash of their phone or email, and none once the case has its feedback.
import type { SupportCase } from './support-case.ts';

export interface SurveyPolicy {
  minDaysBetweenSurveys: number;
}

export const defaultSurveyPolicy: SurveyPolicy = { minDaysBetweenSurveys: 7 };

export type SurveySkipReason = 'feedback_given' | 'surveyed_recently';

/** A survey sent at or after this instant blocks another one now. */
export function surveyWindowStart(now: Date, policy: SurveyPolicy = defaultSurveyPolicy): Date {
  return new Date(now.getTime() - policy.minDaysBetweenSurveys * 86_400_000);
}

/** How long the record of a sent survey must live to block the next ones, as a TTL in epoch seconds. */
export function surveyRecordExpiresAt(sentAt: Date, policy: SurveyPolicy = defaultSurveyPolicy): number {
  return Math.ceil(sentAt.getTime() / 1000) + (policy.minDaysBetweenSurveys + 1) * 86_400;
}

export function feedbackAlreadyGiven(supportCase: Pick<SupportCase, 'feedback'> | null): boolean {
  return Boolean(supportCase?.feedback);
}
