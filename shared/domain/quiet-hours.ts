// Do not disturb (000 §1.1.26(3)): no SMS between 21:00 and 08:00 customer time (Asia/Shanghai,
// a fixed UTC+8), held until 08:00.
import { fromBeijingWallClock, toBeijingWallClock } from './beijing-time.ts';

export interface QuietHours {
  startHour: number;
  endHour: number;
}

export const defaultQuietHours: QuietHours = { startHour: 21, endHour: 8 };

/** When a message due now may be sent: null when now is fine, else the next end of quiet hours. */
export function quietHoursHoldUntil(now: Date, quiet: QuietHours = defaultQuietHours): Date | null {
  const local = toBeijingWallClock(now);
  const hour = local.getUTCHours();
  const inQuiet =
    quiet.startHour > quiet.endHour
      ? hour >= quiet.startHour || hour < quiet.endHour
      : hour >= quiet.startHour && hour < quiet.endHour;
  if (!inQuiet) return null;
  const release = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), quiet.endHour),
  );
  if (hour >= quiet.endHour) release.setUTCDate(release.getUTCDate() + 1);
  return fromBeijingWallClock(release);
}
