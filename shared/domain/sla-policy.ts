// Service-level targets (DOMAIN.md §4) as plain data, so an operator can override them per carrier.

import type { CaseType, Category, CategoryOf, Priority } from './case-model.ts';
import type { ParcelReturnKind, ProblemKind } from './processes.ts';

/** Clocks an agent's action starts during the case (README "Processes"); stored only while they exist. */
export type ProcessClockName = 'parcelReturn' | 'transfer' | 'appealRedo';
export type ClockName = 'firstResponse' | 'plan' | 'resolution' | 'appeal' | ProcessClockName;
/** The clocks every case starts with; `appeal` only starts when a customer appeals. */
export type CaseClockName = Exclude<ClockName, 'appeal' | ProcessClockName>;

export type ClockTarget =
  | { unit: 'hours'; amount: number }
  | { unit: 'workingDays'; amount: number }
  | { unit: 'calendarDays'; amount: number };

export type ResolutionTargets = {
  readonly [T in CaseType]: {
    readonly default: ClockTarget;
    readonly byCategory?: Readonly<Partial<Record<CategoryOf<T>, ClockTarget>>>;
  };
};

export interface SlaPolicy {
  readonly firstResponse: ClockTarget;
  readonly plan: ClockTarget;
  readonly resolution: ResolutionTargets;
  readonly appeal: ClockTarget;
  /**
   * Factors applied to hour targets only, by priority and clock. Working-day and calendar-day targets come
   * from law or published commitments, and halving "3 working days" has no meaning.
   */
  readonly priorityHourFactors: Readonly<Record<Priority, Readonly<Partial<Record<CaseClockName, number>>>>>;
  /** Share of a target after which a clock is at risk. */
  readonly atRiskShare: number;
  /** Returns and the wrong-address re-send (002 §3.4), each from the agent's record to the agent's "done". */
  readonly parcelReturn: Readonly<Record<ParcelReturnKind, ClockTarget>>;
  /** 转办时限 (003 §5.2(4)): a case handed to another team must be acted on there within this. */
  readonly transfer: ClockTarget;
  /** A reviewed appeal answer found wanting is redone within this (邮政业消费者申诉处理办法: 5 days). */
  readonly appealRedo: ClockTarget;
  /** Resolution targets by problem kind (004 §2.4), over the type's; priority factors still apply. */
  readonly problemResolution: Readonly<Record<ProblemKind, ClockTarget>>;
}

export const atRiskShare = 0.8;

const hours = (amount: number): ClockTarget => ({ unit: 'hours', amount });
const workingDays = (amount: number): ClockTarget => ({ unit: 'workingDays', amount });
const calendarDays = (amount: number): ClockTarget => ({ unit: 'calendarDays', amount });

export const defaultSlaPolicy: SlaPolicy = {
  firstResponse: hours(2),
  plan: hours(24),
  resolution: {
    // 快递暂行条例 Art. 28.
    complaint: { default: calendarDays(7) },
    exception: { default: hours(48), byCategory: { lost: workingDays(3) } },
    inquiry: { default: hours(24) },
    suggestion: { default: workingDays(3) },
    claim: { default: calendarDays(7) },
  },
  // 邮政业消费者申诉处理办法: 15 days to answer a forwarded appeal.
  appeal: calendarDays(15),
  priorityHourFactors: {
    urgent: { firstResponse: 0.5, plan: 0.5, resolution: 0.5 },
    high: {},
    normal: {},
    low: { firstResponse: 2 },
  },
  atRiskShare,
  // 002 §3.4 gives 3, 2 and 1 working days for the three returns; it names no limit for the re-send, which
  // takes the carrier-initiated return's 2 working days (the carrier acts on its own finding in both).
  parcelReturn: {
    customer_return: workingDays(3),
    carrier_return: workingDays(2),
    system_return: workingDays(1),
    address_resend: workingDays(2),
  },
  // 003 §5.2(4) says "within the set time" without a number: one working day is this product's default.
  transfer: workingDays(1),
  appealRedo: calendarDays(5),
  problemResolution: { technical: hours(72), process: hours(48) },
};

export interface ClockSubject {
  type: CaseType;
  category: Category;
  priority: Priority;
  /** Set by an agent (004 §2.4): the problem kind's resolution target replaces the type's. */
  problem?: ProblemKind;
}

export function clockTargetsFor(
  subject: ClockSubject,
  policy: SlaPolicy = defaultSlaPolicy,
): Record<CaseClockName, ClockTarget> {
  const resolutionRule = policy.resolution[subject.type];
  // The index type widens to every category; a category of another type simply finds nothing.
  const byCategory = resolutionRule.byCategory as Partial<Record<Category, ClockTarget>> | undefined;
  const factors = policy.priorityHourFactors[subject.priority];
  return {
    firstResponse: scaleHours(policy.firstResponse, factors.firstResponse),
    plan: scaleHours(policy.plan, factors.plan),
    resolution: scaleHours(
      (subject.problem && policy.problemResolution[subject.problem]) ||
        (byCategory?.[subject.category] ?? resolutionRule.default),
      factors.resolution,
    ),
  };
}

export function appealTargetFor(policy: SlaPolicy = defaultSlaPolicy): ClockTarget {
  return policy.appeal;
}

function scaleHours(target: ClockTarget, factor: number | undefined): ClockTarget {
  if (target.unit !== 'hours' || factor === undefined) return target;
  return { unit: 'hours', amount: target.amount * factor };
}
