// Working days in mainland China (DOMAIN.md §4): Monday–Friday, minus public holidays, plus make-up working days.

import { beijingDate, beijingMidnight } from './beijing-time.ts';
import { chinaPublicHolidays, type HolidayCalendarData } from './china-public-holidays.ts';

const dayMs = 24 * 60 * 60 * 1000;
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export class CalendarYearNotCovered extends Error {
  readonly year: number;

  constructor(year: number) {
    super(`The business calendar has no holiday data for ${year}; add it to china-public-holidays.ts`);
    this.name = 'CalendarYearNotCovered';
    this.year = year;
  }
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
}

export function chinaBusinessCalendar(data: HolidayCalendarData = chinaPublicHolidays): BusinessCalendar {
  const daysOff = new Set<string>();
  const extraWorkingDays = new Set<string>();
  for (const year of Object.values(data)) {
    for (const period of year.holidays) {
      for (let day = period.from; day <= period.to; day = addCalendarDays(day, 1)) daysOff.add(day);
    }
    for (const day of year.makeUpWorkingDays) extraWorkingDays.add(day);
  }

  const isWorkingDay = (localDate: string): boolean => {
    const year = Number(localDate.slice(0, 4));
    const dayOfWeek = new Date(utcMidnightOf(localDate)).getUTCDay();
    // A date in a year without data may be a holiday nobody told us about, so refuse rather than guess.
    if (!Object.hasOwn(data, year)) throw new CalendarYearNotCovered(year);
    if (extraWorkingDays.has(localDate)) return true;
    if (daysOff.has(localDate)) return false;
    return dayOfWeek !== 0 && dayOfWeek !== 6;
  };

  const addWorkingDays = (from: Date, days: number): Date => {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`Working days must be a whole number ≥ 0, got ${days}`);
    }
    let day = beijingDate(from);
    for (let counted = 0; counted < days; ) {
      day = addCalendarDays(day, 1);
      if (isWorkingDay(day)) counted += 1;
    }
    return beijingMidnight(addCalendarDays(day, 1));
  };

  return { isWorkingDay, addWorkingDays };
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
