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

export interface DeliveryAssessment {
  commitmentAt: string;
  lostAfter: string;
  verdict: DeliveryVerdict;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Null when the shipment lacks service, route or shippedAt, or the carrier does not offer that combination. */
export function assessDelivery(
  shipment: Shipment,
  now: Date,
  calendar: BusinessCalendar,
  table: DeliveryCommitmentTable = defaultDeliveryCommitments,
): DeliveryAssessment | null {
  const { service, route, shippedAt } = shipment;
  if (!service || !route || !shippedAt) return null;
  const workingDays = table.workingDays[service]?.[route];
  if (workingDays === undefined) return null;

  const shipped = new Date(shippedAt);
  // Shipments are validated at the edge, so an unreadable date here is a bug, not a customer error.
  if (Number.isNaN(shipped.getTime())) throw new RangeError(`Invalid shippedAt: ${shippedAt}`);

  const commitmentMs = calendar.addWorkingDays(shipped, workingDays).getTime();
  const lostAfterMs = commitmentMs + table.completeDelayCalendarDays[route] * dayMs;
  const nowMs = now.getTime();
  const verdict: DeliveryVerdict =
    nowMs > lostAfterMs ? 'lost' : nowMs > commitmentMs ? 'delayed' : 'within_commitment';
  return {
    commitmentAt: new Date(commitmentMs).toISOString(),
    lostAfter: new Date(lostAfterMs).toISOString(),
    verdict,
  };
}
