// What a plan or a resolution offers: an amount (agreed, or priced by the carrier's policy with the actual
// days late and the recorded cause) and any non-cash remedy (README "Processes").

import type { BusinessCalendar } from '#domain/business-calendar';
import type { Money } from '#domain/case-model';
import type { CompensationPolicy } from '#domain/compensation';
import {
  type CompensationSituation,
  type ProposedCompensation,
  proposeCompensation,
} from '#domain/compensation';
import { withActualDaysLate } from '#domain/delay-days';
import type { Remedy } from '#domain/processes';
import type { SupportCase } from '#domain/support-case';

export interface OfferRequest {
  compensation?: Money;
  situation?: CompensationSituation;
  remedy?: Remedy;
}

export function proposeOffer(
  request: OfferRequest,
  supportCase: SupportCase,
  now: Date,
  deps: { compensationPolicy: CompensationPolicy; calendar: BusinessCalendar },
): { compensation?: ProposedCompensation; remedy?: Remedy } {
  const situation =
    request.situation && withActualDaysLate(request.situation, supportCase.shipment, now, deps.calendar);
  const compensation = proposeCompensation(
    {
      ...(request.compensation ? { compensation: request.compensation } : {}),
      ...(situation ? { situation } : {}),
    },
    supportCase.shipment,
    deps.compensationPolicy,
    { forceMajeure: supportCase.forceMajeure === true },
  );
  return { ...(compensation ? { compensation } : {}), ...(request.remedy ? { remedy: request.remedy } : {}) };
}
