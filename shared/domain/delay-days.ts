// Days late for per-day delay compensation (002 §3.1 按实际延误天数按日计费): counted from the delivery
// commitment (DOMAIN.md §5) when the agent gives no count of their own.
import type { BusinessCalendar } from './business-calendar.ts';
import type { Shipment } from './case-model.ts';
import type { CompensationSituation } from './compensation.ts';
import {
  assessDelivery,
  type DeliveryCommitmentTable,
  defaultDeliveryCommitments,
} from './delivery-commitment.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** Whole days (any part of a day counts) from the commitment to `at`; undefined when it cannot be judged. */
export function actualDaysLate(
  shipment: Shipment,
  at: Date,
  calendar: BusinessCalendar,
  table: DeliveryCommitmentTable = defaultDeliveryCommitments,
): number | undefined {
  const assessment = assessDelivery(shipment, at, calendar, table);
  if (assessment.verdict === 'unknown') return undefined;
  return Math.max(0, Math.ceil((at.getTime() - Date.parse(assessment.commitmentAt)) / dayMs));
}

/** A delay without a count of days gets the actual days late; every other situation is left as it is. */
export function withActualDaysLate(
  situation: CompensationSituation,
  shipment: Shipment | undefined,
  at: Date,
  calendar: BusinessCalendar,
  table: DeliveryCommitmentTable = defaultDeliveryCommitments,
): CompensationSituation {
  if (situation.kind !== 'delayed' || situation.daysLate !== undefined || !shipment) return situation;
  const daysLate = actualDaysLate(shipment, at, calendar, table);
  return daysLate === undefined ? situation : { ...situation, daysLate };
}
