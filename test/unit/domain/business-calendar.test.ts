import { describe, expect, it } from 'vitest';
import { CalendarYearNotCovered, chinaBusinessCalendar } from '#domain/business-calendar';
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

describe('years without holiday data', () => {
  it('refuses to guess about a year it has no data for', () => {
    expect(() => calendar.isWorkingDay('2028-01-03')).toThrow(CalendarYearNotCovered);
    expect(() => calendar.isWorkingDay('2025-12-31')).toThrow(CalendarYearNotCovered);
  });

  it('fails when counting runs past the last covered year', () => {
    expect(() => calendar.addWorkingDays(shanghai('2027-12-29 10:00'), 3)).toThrow(CalendarYearNotCovered);
  });

  it('names the missing year', () => {
    expect(() => calendar.isWorkingDay('2028-06-01')).toThrow(
      expect.objectContaining({ name: 'CalendarYearNotCovered', year: 2028 }),
    );
  });

  it('works from whatever holiday data it is given', () => {
    const onlyOneHoliday: HolidayCalendarData = {
      2030: {
        holidays: [{ name: 'Test day', from: '2030-03-04', to: '2030-03-04' }],
        makeUpWorkingDays: ['2030-03-09'],
        provisional: true,
        source: 'test',
      },
    };
    const testCalendar = chinaBusinessCalendar(onlyOneHoliday);
    expect(testCalendar.isWorkingDay('2030-03-04')).toBe(false);
    expect(testCalendar.isWorkingDay('2030-03-09')).toBe(true);
    expect(() => testCalendar.isWorkingDay('2026-03-02')).toThrow(CalendarYearNotCovered);
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
    expect(chinaPublicHolidays[2026]?.provisional).toBe(false);
    expect(chinaPublicHolidays[2027]?.provisional).toBe(true);
  });
});
