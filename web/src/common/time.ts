// Times as people read them: Beijing time for deadlines, countdowns for staff.

export type PageLocale = 'zh-CN' | 'en';

export function beijingTime(iso: string, locale: PageLocale): string {
  const text = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
  return locale === 'zh-CN' ? `${text}（北京时间）` : `${text} (Beijing time)`;
}

/** "3h 20m left" or "overdue 45m": whole minutes, days past 48 hours. */
export function countdown(dueIso: string, nowMs: number): { text: string; overdue: boolean } {
  const diff = new Date(dueIso).getTime() - nowMs;
  const minutes = Math.floor(Math.abs(diff) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const span =
    minutes >= 48 * 60
      ? `${days}d ${hours}h`
      : minutes >= 60
        ? `${Math.floor(minutes / 60)}h ${rest}m`
        : `${rest}m`;
  return diff >= 0 ? { text: `${span} left`, overdue: false } : { text: `overdue ${span}`, overdue: true };
}
