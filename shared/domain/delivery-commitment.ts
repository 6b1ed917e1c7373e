// Delivery-time commitments (DOMAIN.md §5): when a parcel is late, and when it is so late it counts as lost.

import type { BusinessCalendar } from './business-calendar.ts';
import type { Service, Shipment, ShipmentRoute } from './case-model.ts';

export interface DeliveryCommitmentTable {
  /** Working days after the shipped local day; 0 means by the end of that day; a missing route is not offered. */
  readonly workingDays: { readonly [S in Service]: Readonly<Partial<Record<ShipmentRoute, number>>> };
  /** Calendar days past the commitment after which a delay is complete (彻底延误) and the parcel is lost. */
  readonly completeDelayCalendarDays: Readonly<Record<ShipmentRoute, number>>;
}

export const defaultDeliveryCommitments: DeliveryCommitmentTable = {
  workingDays: {
    same_day: { same_city: 0 },
    express: { same_city: 2, intra_province: 4, inter_province: 6 },
    time_limited: { same_city: 2, intra_province: 3, inter_province: 3 },
    standard: { same_city: 3, intra_province: 5, inter_province: 7 },
    economy: { same_city: 5, intra_province: 7, inter_province: 7 },
  },
  completeDelayCalendarDays: { same_city: 3, intra_province: 7, inter_province: 7 },
};

export type DeliveryVerdict = 'within_commitment' | 'delayed' | 'lost';

export type DeliveryAssessment =
  | {
      verdict: DeliveryVerdict;
      commitmentAt: string;
      lostAfter: string;
      /** Present when a working day counted rests on a provisional or missing calendar year. */
      approximate?: true;
    }
  | { verdict: 'unknown'; reason: string };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The verdict on a shipment at `now`, or `unknown` with the reason when it cannot be judged (service, route
 * or shipping time missing or unreadable, a combination the carrier does not offer). Never throws: a
 * shipment nobody can judge is for staff to look at, not a reason to stop accepting the case.
 */
export function assessDelivery(
  shipment: Shipment,
  now: Date,
  calendar: BusinessCalendar,
  table: DeliveryCommitmentTable = defaultDeliveryCommitments,
): DeliveryAssessment {
  const unknown = (reason: string): DeliveryAssessment => ({ verdict: 'unknown', reason });
  const { service, route, shippedAt } = shipment;
  if (!service || !route || !shippedAt)
    return unknown('the shipment gives no service, route or shipping time');
  const workingDays = table.workingDays[service]?.[route];
  if (workingDays === undefined) return unknown(`no commitment for ${service} on ${route}`);
  const shipped = new Date(shippedAt);
  if (Number.isNaN(shipped.getTime())) return unknown('the shipping time is not a date');
  if (Number.isNaN(now.getTime())) return unknown('the time of the check is not a date');
  try {
    return judge(shipped, now, workingDays, table.completeDelayCalendarDays[route], calendar);
  } catch {
    // Only dates beyond what the calendar and Date can count (years out of range) get here.
    return unknown('the calendar cannot count working days from the shipping time');
  }
}

function judge(
  shipped: Date,
  now: Date,
  workingDays: number,
  completeDelayDays: number,
  calendar: BusinessCalendar,
): DeliveryAssessment {
  const span = calendar.countWorkingDays(shipped, workingDays);
  const commitmentMs = span.end.getTime();
  const lostAfterMs = commitmentMs + completeDelayDays * dayMs;
  const nowMs = now.getTime();
  const verdict: DeliveryVerdict =
    nowMs > lostAfterMs ? 'lost' : nowMs > commitmentMs ? 'delayed' : 'within_commitment';
  return {
    commitmentAt: new Date(commitmentMs).toISOString(),
    lostAfter: new Date(lostAfterMs).toISOString(),
    verdict,
    ...(span.approximate ? { approximate: true as const } : {}),
  };
}
