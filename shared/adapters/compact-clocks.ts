// The stored form of a case's SLA clocks: one short string instead of a map of four objects with eleven
// named fields each (715 B of a 1.7 KB case item). Instants are epoch milliseconds in base 36, exact to
// the millisecond like the ISO strings they stand for. Only the stored item is compact; the domain and
// the API keep the full clock objects.
//   <clock>,<state>,<unit><amount>,<startedAt>,<dueAt>,<atRiskAt>,<pausedMs>,<pausedAt>,<metAt>,<breachedAt>,<flags>
// joined by ';', with dueAt and atRiskAt as offsets from startedAt, '' for null instants, and flags the sum
// of 1 for atRisk and 2 for approximate (a due time resting on a provisional or missing calendar year).
// Trailing fields at their defaults (no pause, no instants, no flags) are left out. A process clock
// (README "Processes") is stored only until it is answered: the timeline keeps how it ended.
import type { ClockState, SlaClock } from '#domain/sla-clock';
import type { ClockName, ClockTarget } from '#domain/sla-policy';

type Clocks = Partial<Record<ClockName, SlaClock>>;

const clockCodes: Record<ClockName, string> = {
  firstResponse: 'f',
  plan: 'p',
  resolution: 'r',
  appeal: 'a',
  // Process clocks (README "Processes"): stored only once an agent's action started them.
  parcelReturn: 'x',
  transfer: 't',
  appealRedo: 'e',
};
const stateCodes: Record<ClockState, string> = { running: 'r', paused: 'p', met: 'm', breached: 'b' };
const unitCodes: Record<ClockTarget['unit'], string> = { hours: 'h', workingDays: 'w', calendarDays: 'c' };

const invert = <K extends string>(codes: Record<K, string>) =>
  new Map(Object.entries(codes).map(([name, code]) => [code as string, name as K]));
const clockNames = invert(clockCodes);
const states = invert(stateCodes);
const units = invert(unitCodes);

/** An ISO instant with milliseconds as base-36 epoch milliseconds (8 characters instead of 24). */
export const instant = (iso: string) => {
  const ms = Date.parse(iso);
  // Only ISO instants with milliseconds survive the round trip; anything else would be silently changed.
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== iso) throw new Error(`Not an ISO instant: ${iso}`);
  return ms.toString(36);
};
/** A later instant as milliseconds after an earlier one, in base 36 (a 2-hour target is 5 characters). */
const offset = (fromIso: string, iso: string) => {
  instant(iso);
  return (Date.parse(iso) - Date.parse(fromIso)).toString(36);
};
const isoAfter = (fromCode: string, code: string) =>
  new Date(Number.parseInt(fromCode, 36) + Number.parseInt(code, 36)).toISOString();
const optionalInstant = (iso: string | null) => (iso === null ? '' : instant(iso));
export const isoOf = (code: string) => new Date(Number.parseInt(code, 36)).toISOString();
const optionalIsoOf = (code: string) => (code === '' ? null : isoOf(code));

const processClocks = new Set<ClockName>(['parcelReturn', 'transfer', 'appealRedo']);
/** From pausedMs on, a field at its default can be dropped from the end. */
const firstOptionalField = 6;
const defaults = new Set(['', '0']);

function trimDefaults(fields: string[]): string[] {
  let end = fields.length;
  while (end > firstOptionalField && defaults.has(fields[end - 1] ?? '')) end -= 1;
  return fields.slice(0, end);
}

export function encodeClocks(clocks: Clocks): string {
  return Object.entries(clocks)
    .filter((entry): entry is [ClockName, SlaClock] => entry[1] !== undefined)
    .filter(([name, clock]) => !processClocks.has(name) || clock.metAt === null)
    .map(([name, clock]) =>
      trimDefaults([
        clockCodes[name],
        stateCodes[clock.state],
        `${unitCodes[clock.target.unit]}${clock.target.amount}`,
        instant(clock.startedAt),
        offset(clock.startedAt, clock.dueAt),
        offset(clock.startedAt, clock.atRiskAt),
        clock.pausedMs.toString(36),
        optionalInstant(clock.pausedAt),
        optionalInstant(clock.metAt),
        optionalInstant(clock.breachedAt),
        String((clock.atRisk ? 1 : 0) + (clock.approximate ? 2 : 0)),
      ]).join(','),
    )
    .join(';');
}

export function decodeClocks(stored: unknown): Clocks {
  // Items written before the compact form hold the clock objects themselves.
  if (typeof stored === 'object' && stored !== null) return stored as Clocks;
  if (typeof stored !== 'string' || stored === '') return {};
  const clocks: Clocks = {};
  for (const text of stored.split(';')) {
    const [name, state, target, startedAt, dueAt, atRiskAt, pausedMs, pausedAt, metAt, breachedAt, flagText] =
      text.split(',');
    const clockName = clockNames.get(name ?? '');
    const clockState = states.get(state ?? '');
    const unit = units.get(target?.charAt(0) ?? '');
    const flags = Number(flagText ?? 0);
    if (!clockName || !clockState || !unit || !Number.isInteger(flags))
      throw new Error(`Not a stored clock: ${text}`);
    clocks[clockName] = {
      name: clockName,
      state: clockState,
      target: { unit, amount: Number(target?.slice(1)) },
      startedAt: isoOf(startedAt ?? ''),
      dueAt: isoAfter(startedAt ?? '', dueAt ?? ''),
      atRiskAt: isoAfter(startedAt ?? '', atRiskAt ?? ''),
      pausedMs: Number.parseInt(pausedMs || '0', 36),
      pausedAt: optionalIsoOf(pausedAt ?? ''),
      metAt: optionalIsoOf(metAt ?? ''),
      breachedAt: optionalIsoOf(breachedAt ?? ''),
      atRisk: (flags & 1) === 1,
      ...((flags & 2) === 2 ? { approximate: true as const } : {}),
    };
  }
  return clocks;
}
