// Public holidays and make-up working days (调休) in mainland China, by year, as the State Council publishes them.
// Dates are local Asia/Shanghai calendar dates. These are the defaults of the service policy's `calendar`
// (shared/domain/service-policy.ts); operators load later years into the policy document, not here. A year
// missing from the policy makes the business calendar count weekends only and mark what it computes approximate.

export interface HolidayPeriod {
  name: string;
  /** First day off, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last day off, inclusive (YYYY-MM-DD). */
  to: string;
}

export interface HolidayYear {
  holidays: readonly HolidayPeriod[];
  /** Weekend days that are working days because of a holiday swap. */
  makeUpWorkingDays: readonly string[];
  /** `provisional` while the dates follow the published rules but not yet the year's official notice. */
  status: 'official' | 'provisional';
  source: string;
}

export type HolidayCalendarData = Readonly<Record<number, HolidayYear>>;

export const chinaPublicHolidays: HolidayCalendarData = {
  2025: {
    holidays: [
      { name: 'New Year', from: '2025-01-01', to: '2025-01-01' },
      { name: 'Spring Festival', from: '2025-01-28', to: '2025-02-04' },
      { name: 'Qingming', from: '2025-04-04', to: '2025-04-06' },
      { name: 'Labour Day', from: '2025-05-01', to: '2025-05-05' },
      { name: 'Dragon Boat Festival', from: '2025-05-31', to: '2025-06-02' },
      { name: 'National Day and Mid-Autumn Festival', from: '2025-10-01', to: '2025-10-08' },
    ],
    makeUpWorkingDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    status: 'official',
    source: '国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)',
  },
  2026: {
    holidays: [
      { name: 'New Year', from: '2026-01-01', to: '2026-01-03' },
      { name: 'Spring Festival', from: '2026-02-15', to: '2026-02-23' },
      { name: 'Qingming', from: '2026-04-04', to: '2026-04-06' },
      { name: 'Labour Day', from: '2026-05-01', to: '2026-05-05' },
      { name: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21' },
      { name: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27' },
      { name: 'National Day', from: '2026-10-01', to: '2026-10-07' },
    ],
    makeUpWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    status: 'official',
    source: '国务院办公厅关于2026年部分节假日安排的通知 (as given in DOMAIN.md §4)',
  },
  // 2027 follows the published rules until the State Council's notice is loaded into the service policy
  // (README, "Service policy"). The 2025 notice's rule "如逢周三则只在当日放假" makes a festival falling on a
  // Wednesday one day off with no make-up day: Dragon Boat (Wed 9 June) and Mid-Autumn (Wed 15 September).
  // Chinese New Year is Sat 6 February; its eve (Fri 5 February) has been a statutory holiday since 2025.
  2027: {
    holidays: [
      { name: 'New Year', from: '2027-01-01', to: '2027-01-03' },
      { name: 'Spring Festival', from: '2027-02-05', to: '2027-02-13' },
      { name: 'Qingming', from: '2027-04-03', to: '2027-04-05' },
      { name: 'Labour Day', from: '2027-05-01', to: '2027-05-05' },
      { name: 'Dragon Boat Festival', from: '2027-06-09', to: '2027-06-09' },
      { name: 'Mid-Autumn Festival', from: '2027-09-15', to: '2027-09-15' },
      { name: 'National Day', from: '2027-10-01', to: '2027-10-07' },
    ],
    makeUpWorkingDays: ['2027-01-30', '2027-02-20', '2027-05-08', '2027-09-26', '2027-10-09'],
    status: 'provisional',
    source:
      'published rules (如逢周三则只在当日放假); replace with 国务院办公厅关于2027年部分节假日安排的通知',
  },
};
