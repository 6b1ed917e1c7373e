// Beijing time (Asia/Shanghai): China has kept UTC+8 without daylight saving since 1991, so a fixed offset
// is exact for every date the product handles. The only place that knows the offset.

const beijingOffsetMs = 8 * 3600_000;

/**
 * The instant moved by the offset, so that its UTC fields (`getUTCHours`, `toISOString`) read Beijing
 * wall-clock time. Only for reading fields; turn it back with `fromBeijingWallClock`.
 */
export function toBeijingWallClock(instant: Date): Date {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return new Date(ms + beijingOffsetMs);
}

/** The instant whose Beijing wall-clock time the UTC fields of `wallClock` spell. */
export function fromBeijingWallClock(wallClock: Date): Date {
  return new Date(wallClock.getTime() - beijingOffsetMs);
}

/** The Beijing calendar date of an instant, YYYY-MM-DD: the case day of counters and case numbers. */
export function beijingDate(instant: Date): string {
  return toBeijingWallClock(instant).toISOString().slice(0, 10);
}

/** 00:00 Beijing time of a calendar date, YYYY-MM-DD, as an instant; anything else is refused. */
export function beijingMidnight(localDate: string): Date {
  const midnight = /^\d{4}-\d{2}-\d{2}$/.test(localDate) ? new Date(`${localDate}T00:00:00.000Z`) : null;
  // A round trip catches dates that do not exist (Feb 30 would otherwise roll over into March).
  if (!midnight || Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== localDate) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${localDate}`);
  }
  return fromBeijingWallClock(midnight);
}
