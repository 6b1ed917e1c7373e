// The targets a report shows beside its figures (DOMAIN.md §8): at least 90 % of surveyed customers
// satisfied (000 §1.1.2), and a compliance goal per SLA clock. The seeds name no compliance goal, so 95 %
// per clock is this product's default; both are data an operator can change, like every number in DOMAIN.md.
import type { ClockName } from './sla-policy.ts';

export interface ReportTargets {
  /** Share of survey answers scoring 4 or 5, in %. */
  readonly satisfiedPercent: number;
  /** Share of each clock's ended runs that met their due time, in %. */
  readonly slaCompliancePercent: Readonly<Record<ClockName, number>>;
}

export const defaultReportTargets: ReportTargets = {
  satisfiedPercent: 90,
  slaCompliancePercent: {
    firstResponse: 95,
    plan: 95,
    resolution: 95,
    appeal: 95,
    parcelReturn: 95,
    transfer: 95,
    appealRedo: 95,
  },
};

export interface TargetCheck {
  target: number;
  /** The figure of the range; null when nothing was measured (no answers, no clock ended). */
  actual: number | null;
  /** Whether the figure reaches the target; null when there is no figure. */
  met: boolean | null;
}

export function checkTarget(target: number, actual: number | null): TargetCheck {
  return { target, actual, met: actual === null ? null : actual >= target };
}
