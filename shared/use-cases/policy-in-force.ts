// The service policy as the domain takes it: SLA settings with a business calendar built from the policy's
// holiday data (rebuilt only when that data changes), and this carrier's compensation rules.
import { type BusinessCalendar, chinaBusinessCalendar } from '#domain/business-calendar';
import type { SlaSettings } from '#domain/case/case-clocks';
import type { HolidayCalendarData } from '#domain/china-public-holidays';
import { type CompensationPolicy, policyForCarrier } from '#domain/compensation';
import type { ServicePolicy } from '#domain/service-policy';
import type { Dependencies } from './ports.ts';

export interface PolicyInForce {
  policy: ServicePolicy;
  sla: SlaSettings;
  compensation: CompensationPolicy;
}

type PolicyDependencies = Pick<Dependencies, 'policy' | 'carrierId' | 'metrics' | 'logger'>;

const calendars = new WeakMap<
  PolicyDependencies,
  { data: HolidayCalendarData; calendar: BusinessCalendar }
>();

export async function policyInForce(deps: PolicyDependencies): Promise<PolicyInForce> {
  const policy = await deps.policy.current();
  return {
    policy,
    sla: { calendar: calendarOf(policy.calendar, deps), policy: policy.sla },
    compensation: policyForCarrier(deps.carrierId, policy.compensation),
  };
}

function calendarOf(data: HolidayCalendarData, deps: PolicyDependencies): BusinessCalendar {
  const cached = calendars.get(deps);
  if (cached?.data === data) return cached.calendar;
  const calendar = chinaBusinessCalendar(data, {
    // Weekends-only working days keep cases moving; the metric's alarm asks an operator to load the year.
    onMissingYear: (year) => {
      deps.metrics.count('CalendarDataMissing', {});
      deps.logger.warn('No holiday data for this year: working days counted as Monday to Friday', { year });
    },
    // Expected until the official notice is loaded (usually November); counted, not alarmed.
    onProvisionalYear: () => deps.metrics.count('CalendarDataProvisional', {}),
  });
  calendars.set(deps, { data, calendar });
  return calendar;
}
