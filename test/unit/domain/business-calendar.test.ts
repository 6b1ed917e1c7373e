import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { chinaPublicHolidays, type HolidayCalendarData } from '#domain/china-public-holidays';

/** An instant given as Asia/Shanghai wall-clock time, e.g. shanghai('2026-09-30 10:00'). */
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);

const calendar = chinaBusinessCalendar();

const datesBetween = (from: string, to: string): string[] => {
  const dates: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); ) {
    dates.push(day.toISOString().slice(0, 10));
    day = new Date(day.getTime() + 24 * 60 * 60 * 1000);
  }
  return dates;
};

const workingDaysIn = (year: number): number =>
  datesBetween(`${year}-01-01`, `${year}-12-31`).filter((day) => calendar.isWorkingDay(day)).length;

describe('calendar dates', () => {
  it('rejects strings that are not calendar dates', () => {
    expect(() => calendar.isWorkingDay('2026-9-1')).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('counts Monday to Friday as working days and weekends as not', () => {
    expect(calendar.isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
  });

  it('does not count the National Day holiday as working days', () => {
    for (const day of datesBetween('2026-10-01', '2026-10-07'))
      expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2026-09-30')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('does not count the nine days of Spring Festival as working days', () => {
    for (const day of datesBetween('2026-02-15', '2026-02-23'))
      expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('does not count weekday holidays of the smaller festivals', () => {
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false); // New Year, Friday
    expect(calendar.isWorkingDay('2026-04-06')).toBe(false); // Qingming, Monday
    expect(calendar.isWorkingDay('2026-05-05')).toBe(false); // Labour Day, Tuesday
    expect(calendar.isWorkingDay('2026-06-19')).toBe(false); // Dragon Boat, Friday
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // Mid-Autumn, Friday
  });

  it.each([
    ['2026-01-04', 'Sunday after New Year'],
    ['2026-02-14', 'Saturday before Spring Festival'],
    ['2026-02-28', 'Saturday after Spring Festival'],
    ['2026-05-09', 'Saturday after Labour Day'],
    ['2026-09-20', 'Sunday before Mid-Autumn'],
    ['2026-10-10', 'Saturday after National Day'],
  ])('counts the make-up day %s (%s) as a working day', (day) => {
    expect(calendar.isWorkingDay(day)).toBe(true);
  });

  it('has 248 working days in 2026: 261 weekdays less 13 statutory holidays', () => {
    expect(workingDaysIn(2026)).toBe(248);
  });

  it('balances the provisional 2027 schedule to the same 248 working days', () => {
    expect(workingDaysIn(2027)).toBe(248);
  });
});

describe('adding working days', () => {
  it('starts counting on the local day after the start, and ends at local midnight after the last one', () => {
    // Monday 09:00 + 1 → all of Tuesday.
    expect(calendar.addWorkingDays(shanghai('2026-03-02 09:00'), 1)).toEqual(shanghai('2026-03-04 00:00'));
  });

  it('treats zero working days as the end of the starting local day', () => {
    expect(calendar.addWorkingDays(shanghai('2026-03-02 09:00'), 0)).toEqual(shanghai('2026-03-03 00:00'));
    expect(calendar.addWorkingDays(shanghai('2026-03-07 09:00'), 0)).toEqual(shanghai('2026-03-08 00:00'));
  });

  it('uses the Shanghai date, not the UTC date, of the start', () => {
    // 17:30 UTC on Monday is already 01:30 on Tuesday in Shanghai.
    expect(calendar.addWorkingDays(new Date('2026-03-02T17:30:00.000Z'), 1)).toEqual(
      shanghai('2026-03-05 00:00'),
    );
  });

  it('skips the weekend after a Friday evening', () => {
    expect(calendar.addWorkingDays(shanghai('2026-03-06 23:59'), 1)).toEqual(shanghai('2026-03-10 00:00'));
  });

  it('jumps over National Day and counts the make-up Saturday after it', () => {
    const lastDayOfSeptember = shanghai('2026-09-30 10:00');
    expect(calendar.addWorkingDays(lastDayOfSeptember, 1)).toEqual(shanghai('2026-10-09 00:00'));
    expect(calendar.addWorkingDays(lastDayOfSeptember, 2)).toEqual(shanghai('2026-10-10 00:00'));
    expect(calendar.addWorkingDays(lastDayOfSeptember, 3)).toEqual(shanghai('2026-10-11 00:00'));
    expect(calendar.addWorkingDays(lastDayOfSeptember, 4)).toEqual(shanghai('2026-10-13 00:00'));
  });

  it('counts the make-up Saturday before Spring Festival, then waits for the holiday to end', () => {
    const fridayBeforeTheFestival = shanghai('2026-02-13 16:00');
    expect(calendar.addWorkingDays(fridayBeforeTheFestival, 1)).toEqual(shanghai('2026-02-15 00:00'));
    expect(calendar.addWorkingDays(fridayBeforeTheFestival, 2)).toEqual(shanghai('2026-02-25 00:00'));
  });

  it('counts the make-up Sunday before Mid-Autumn', () => {
    expect(calendar.addWorkingDays(shanghai('2026-09-18 12:00'), 1)).toEqual(shanghai('2026-09-21 00:00'));
  });

  it('crosses into the next year when that year has data', () => {
    // Jan 1–3 2027 are off; Monday Jan 4 is the first working day.
    expect(calendar.addWorkingDays(shanghai('2026-12-31 18:00'), 1)).toEqual(shanghai('2027-01-05 00:00'));
  });

  it('rejects negative or fractional working days', () => {
    expect(() => calendar.addWorkingDays(shanghai('2026-03-02 09:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(shanghai('2026-03-02 09:00'), 1.5)).toThrow(RangeError);
  });
});

describe('2025, from the State Council notice 国办发明电〔2024〕12号', () => {
  it('does not count the eight days of Spring Festival, and counts the make-up Sunday and Saturday', () => {
    for (const day of datesBetween('2025-01-28', '2025-02-04'))
      expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true); // Sunday
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true); // Saturday
  });

  it('does not count National Day and Mid-Autumn (1–8 October), and counts 28 September and 11 October', () => {
    for (const day of datesBetween('2025-10-01', '2025-10-08'))
      expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('has 248 working days: 261 weekdays less 18 weekday holidays plus 5 make-up days', () => {
    expect(workingDaysIn(2025)).toBe(248);
  });

  it('judges a parcel shipped on 28 December 2025 exactly, across New Year 2026', () => {
    // Mon 29, Tue 30, Wed 31 December, then Jan 1–3 off and Sunday Jan 4 a make-up day.
    const span = calendar.countWorkingDays(shanghai('2025-12-28 15:00'), 4);
    expect(span).toEqual({ end: shanghai('2026-01-05 00:00'), approximate: false });
  });
});

describe('years without holiday data', () => {
  it('counts Monday to Friday in a year it has no data for', () => {
    expect(calendar.certaintyOf(2028)).toBe('missing');
    expect(calendar.isWorkingDay('2028-01-03')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2028-01-01')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2024-12-31')).toBe(true); // Tuesday
  });

  it('keeps counting past the last covered year, and marks the result approximate', () => {
    // Thu 30, Fri 31 December 2027, then Monday 3 January 2028 (weekends only).
    expect(calendar.countWorkingDays(shanghai('2027-12-29 10:00'), 3)).toEqual({
      end: shanghai('2028-01-04 00:00'),
      approximate: true,
    });
  });

  it('tells its observer once per computation and missing year, and never for covered years', () => {
    const missing: number[] = [];
    const observed = chinaBusinessCalendar(chinaPublicHolidays, {
      onMissingYear: (year) => missing.push(year),
    });
    observed.addWorkingDays(shanghai('2026-03-02 09:00'), 5);
    expect(missing).toEqual([]);
    observed.addWorkingDays(shanghai('2027-12-20 09:00'), 15);
    expect(missing).toEqual([2028]);
  });

  it('works from whatever holiday data it is given', () => {
    const onlyOneHoliday: HolidayCalendarData = {
      2030: {
        holidays: [{ name: 'Test day', from: '2030-03-04', to: '2030-03-04' }],
        makeUpWorkingDays: ['2030-03-09'],
        status: 'provisional',
        source: 'test',
      },
    };
    const testCalendar = chinaBusinessCalendar(onlyOneHoliday);
    expect(testCalendar.isWorkingDay('2030-03-04')).toBe(false);
    expect(testCalendar.isWorkingDay('2030-03-09')).toBe(true);
    expect(testCalendar.certaintyOf(2030)).toBe('provisional');
    expect(testCalendar.certaintyOf(2026)).toBe('missing');
  });
});

describe('how certain a result is', () => {
  it('is exact within official years', () => {
    expect(calendar.certaintyOf(2025)).toBe('official');
    expect(calendar.certaintyOf(2026)).toBe('official');
    expect(calendar.countWorkingDays(shanghai('2026-09-30 10:00'), 4).approximate).toBe(false);
  });

  it('is approximate when a counted day falls in the provisional 2027', () => {
    expect(calendar.certaintyOf(2027)).toBe('provisional');
    expect(calendar.countWorkingDays(shanghai('2026-12-31 18:00'), 1)).toEqual({
      end: shanghai('2027-01-05 00:00'),
      approximate: true,
    });
  });

  it('looks only at the days it counts, not at the day it starts from', () => {
    // Starting on the last day of 2026, zero working days end that same day: nothing of 2027 is used.
    expect(calendar.countWorkingDays(shanghai('2026-12-31 18:00'), 0).approximate).toBe(false);
  });
});

describe('holiday data', () => {
  const years = Object.entries(chinaPublicHolidays);

  it.each(years)('keeps %s make-up days on weekends and outside the holidays', (_, year) => {
    for (const day of year.makeUpWorkingDays) {
      expect([0, 6]).toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
      expect(year.holidays.some((period) => period.from <= day && day <= period.to)).toBe(false);
    }
  });

  it.each(years)('keeps every %s date inside its own year, each period in order', (yearNumber, year) => {
    for (const period of year.holidays) {
      expect(period.from <= period.to).toBe(true);
      expect(period.from.slice(0, 4)).toBe(yearNumber);
      expect(period.to.slice(0, 4)).toBe(yearNumber);
    }
    for (const day of year.makeUpWorkingDays) expect(day.slice(0, 4)).toBe(yearNumber);
  });

  it('marks 2027 as provisional until the official notice is checked', () => {
    expect(chinaPublicHolidays[2026]?.status).toBe('official');
    expect(chinaPublicHolidays[2027]?.status).toBe('provisional');
  });

  it('gives a festival on a Wednesday one day off and no make-up day (2025 notice: 如逢周三则只在当日放假)', () => {
    // Dragon Boat is Wednesday 9 June 2027, Mid-Autumn Wednesday 15 September 2027.
    for (const [festival, thursday, weekend] of [
      ['2027-06-09', '2027-06-10', ['2027-06-05', '2027-06-06', '2027-06-12', '2027-06-13']],
      ['2027-09-15', '2027-09-16', ['2027-09-11', '2027-09-12', '2027-09-18', '2027-09-19']],
    ] as const) {
      expect(calendar.isWorkingDay(festival)).toBe(false);
      expect(calendar.isWorkingDay(thursday)).toBe(true);
      for (const day of weekend) expect(calendar.isWorkingDay(day)).toBe(false);
    }
  });

  it('counts provisional years to the observer, apart from missing ones', () => {
    const provisionalYears: number[] = [];
    const missingYears: number[] = [];
    const observed = chinaBusinessCalendar(chinaPublicHolidays, {
      onProvisionalYear: (year) => provisionalYears.push(year),
      onMissingYear: (year) => missingYears.push(year),
    });
    observed.countWorkingDays(shanghai('2027-06-07 09:00'), 3);
    observed.countWorkingDays(shanghai('2026-06-08 09:00'), 3);
    expect(provisionalYears).toEqual([2027]);
    expect(missingYears).toEqual([]);
  });
});
