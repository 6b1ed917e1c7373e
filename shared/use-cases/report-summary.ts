// The report of a range of days: the per-day counters of the range, summed — never a scan of cases.
import { beijingDate, beijingMidnight } from '#domain/beijing-time';
import {
  countersByMonth,
  countersByTeam,
  groupReport,
  sumCounters,
  summarizeCounters,
  targetsBeside,
} from '#domain/case-report';
import { ValidationFailed } from '#domain/errors';
import { assertMayDo, type StaffMember } from '#domain/staff-permissions';
import type { Dependencies } from './ports.ts';

const dayMs = 86_400_000;
export const defaultReportDays = 30;
export const maxReportDays = 366;

export async function reportSummary(
  request: { from?: string; to?: string },
  staff: StaffMember,
  deps: Dependencies,
) {
  assertMayDo(staff, 'view_reports');
  const to = request.to ?? beijingDate(deps.clock.now());
  const from = request.from ?? addDays(to, -(defaultReportDays - 1));
  const days = daysBetween(from, to);
  const perDay = await deps.reports.getReportCounters(days);
  const total = sumCounters(perDay.map((day) => day.counters));
  const summary = summarizeCounters(total);
  return {
    from,
    to,
    ...summary,
    byDay: perDay.map(({ day, counters }) => ({
      day,
      created: Object.entries(counters)
        .filter(([name]) => name.startsWith('created.type.'))
        .reduce((sum, [, value]) => sum + value, 0),
      resolved: counters['status.resolved'] ?? 0,
    })),
    // DOMAIN.md §8: the targets beside the figures, and the range again by month and by team. Months are
    // summed from the days already read (a range is at most 366 days, so at most 13 months).
    targets: targetsBeside(summary),
    byMonth: countersByMonth(perDay).map(({ month, counters }) => ({ month, ...groupReport(counters) })),
    byTeam: Object.fromEntries(
      Object.entries(countersByTeam(total)).map(([team, counters]) => [team, groupReport(counters)]),
    ),
  };
}

function addDays(day: string, days: number): string {
  return beijingDate(new Date(beijingMidnight(day).getTime() + days * dayMs));
}

function daysBetween(from: string, to: string): string[] {
  if (from > to) {
    throw new ValidationFailed('Query is invalid', [{ path: 'from', message: 'Must not be after to' }]);
  }
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push(day);
    if (days.length > maxReportDays) {
      throw new ValidationFailed('Query is invalid', [
        { path: 'from', message: `A report covers at most ${maxReportDays} days` },
      ]);
    }
  }
  return days;
}
