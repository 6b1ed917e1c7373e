// The only place that reads the wall clock. The sandbox (and tests) may shift it, so every
// function, the SLA sweep and JWT expiry move together; in AWS the shift is always zero.
import type { Clock } from '../use-cases/ports.ts';

export type { Clock };

const shiftKey = Symbol.for('parcel-care.clock-shift-ms');
type ShiftHolder = { [shiftKey]?: number };

function currentShiftMs(): number {
  return (globalThis as ShiftHolder)[shiftKey] ?? 0;
}

export const systemClock: Clock = {
  now: () => new Date(Date.now() + currentShiftMs()),
};

/** Sandbox and tests only: move the time every function sees. */
export function shiftSystemClock(byMs: number): void {
  (globalThis as ShiftHolder)[shiftKey] = currentShiftMs() + byMs;
}

export function setSystemClock(to: Date): void {
  (globalThis as ShiftHolder)[shiftKey] = to.getTime() - Date.now();
}

export function resetSystemClock(): void {
  (globalThis as ShiftHolder)[shiftKey] = 0;
}
