// Working days in mainland China (DOMAIN.md §4): Monday–Friday, minus public holidays, plus make-up working days.
// A year without holiday data counts Monday–Friday only: an answer that may be a day or two off beats no answer
// (a case that cannot be accepted), so what rests on such a year, or on a provisional one, is marked approximate.

import { beijingDate, beijingMidnight } from './beijing-time.ts';
import { chinaPublicHolidays, type HolidayCalendarData } from './china-public-holidays.ts';

const dayMs = 24 * 60 * 60 * 1000;
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How far a year's working days can be trusted: from the official notice, an estimate, or weekends only. */
export type CalendarCertainty = 'official' | 'provisional' | 'missing';

/** The end of a span of working days, and whether any day counted rests on a provisional or missing year. */
export interface WorkingDaySpan {
  end: Date;
  approximate: boolean;
}

export interface BusinessCalendar {
  /** localDate is a calendar date in Asia/Shanghai, YYYY-MM-DD. */
  isWorkingDay(localDate: string): boolean;
  /**
   * The end of the `days`-th working day after `from`: counting starts with the local day after `from`'s
   * local date (the day something arrives never counts, however early), and the result is 00:00
   * Asia/Shanghai of the calendar day following the last counted working day. `days = 0` gives the end
   * of `from`'s own local day.
   */
  addWorkingDays(from: Date, days: number): Date;
  /** The same end as `addWorkingDays`, with whether it is approximate. */
  countWorkingDays(from: Date, days: number): WorkingDaySpan;
  certaintyOf(year: number): CalendarCertainty;
}

export interface CalendarObserver {
  /** A computation counted days of a year without holiday data (once per computation and year). */
  onMissingYear?(year: number): void;
  /** A computation counted days of a provisional year (once per computation and year). */
  onProvisionalYear?(year: number): void;
}

export function chinaBusinessCalendar(
  data: HolidayCalendarData = chinaPublicHolidays,
  observer: CalendarObserver = {},
): BusinessCalendar {
  const daysOff = new Set<string>();
  const extraWorkingDays = new Set<string>();
  for (const year of Object.values(data)) {
    for (const period of year.holidays) {
      for (let day = period.from; day <= period.to; day = addCalendarDays(day, 1)) daysOff.add(day);
    }
    for (const day of year.makeUpWorkingDays) extraWorkingDays.add(day);
  }

  const certaintyOf = (year: number): CalendarCertainty => {
    if (!Object.hasOwn(data, year)) return 'missing';
    return data[year]?.status === 'official' ? 'official' : 'provisional';
  };

  const isWorkingDay = (localDate: string): boolean => {
    const dayOfWeek = new Date(utcMidnightOf(localDate)).getUTCDay();
    if (extraWorkingDays.has(localDate)) return true;
    if (daysOff.has(localDate)) return false;
    return dayOfWeek !== 0 && dayOfWeek !== 6;
  };

  const countWorkingDays = (from: Date, days: number): WorkingDaySpan => {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`Working days must be a whole number ≥ 0, got ${days}`);
    }
    let day = beijingDate(from);
    const uncertainYears = new Set<number>();
    for (let counted = 0; counted < days; ) {
      day = addCalendarDays(day, 1);
      const year = Number(day.slice(0, 4));
      if (certaintyOf(year) !== 'official' && !uncertainYears.has(year)) {
        uncertainYears.add(year);
        if (certaintyOf(year) === 'missing') observer.onMissingYear?.(year);
        else observer.onProvisionalYear?.(year);
      }
      if (isWorkingDay(day)) counted += 1;
    }
    return { end: beijingMidnight(addCalendarDays(day, 1)), approximate: uncertainYears.size > 0 };
  };

  return {
    isWorkingDay,
    addWorkingDays: (from, days) => countWorkingDays(from, days).end,
    countWorkingDays,
    certaintyOf,
  };
}

function addCalendarDays(localDate: string, days: number): string {
  return new Date(utcMidnightOf(localDate) + days * dayMs).toISOString().slice(0, 10);
}

/** Epoch milliseconds of 00:00 UTC on the given date; rejects anything that is not a real YYYY-MM-DD date. */
function utcMidnightOf(localDate: string): number {
  const match = localDatePattern.exec(localDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls Feb 30 over into March; a round trip catches it.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== localDate) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${localDate}`);
  }
  return ms;
}
