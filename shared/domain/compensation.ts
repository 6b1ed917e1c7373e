// Proposed compensation and the rule that produced it (DOMAIN.md §6); every figure is per-carrier configuration.
import type { Money, Shipment } from './case-model.ts';
import { type ErrorDetail, ValidationFailed } from './errors.ts';
import { assertMayDo, type StaffMember } from './staff-permissions.ts';
import type { SupportCase } from './support-case.ts';

export interface CompensationPolicy {
  /** Amounts strictly above this need a supervisor. */
  approvalLimit: Money;
  /** Uninsured loss is capped at this multiple of the freight. */
  uninsuredLossFreightMultiple: number;
  /** An extra absolute cap on uninsured loss, for carriers that use one. */
  uninsuredLossFixedCap?: Money;
  /** Share of the declared value paid when only the packaging is damaged (0.1 = 10 %). */
  packagingDamageShare: number;
  /** Share of the declared value paid when the contents are damaged and the loss is not assessed. */
  contentsDamageShare: number;
  /** Whether a delay refunds the freight of the shipment. */
  delayWaivesFreight: boolean;
  /**
   * An optional amount per day late, on top of the waived freight (002 §3.1 按实际延误天数按日计费). Without
   * the agent's count, the days late are counted from the delivery commitment (DOMAIN.md §5).
   */
  delayPerDay?: Money;
  /**
   * Force majeure (不可抗力, 002 §3.1): per-day billing is for delays of transport, so a delay by force majeure
   * pays nothing unless this is true.
   */
  forceMajeurePaysDelay?: boolean;
  /**
   * Force majeure and uninsured loss or damage: nothing is paid unless this is true (邮政法 Art. 48: no
   * liability for force majeure, except for insured items, which are paid as usual).
   */
  forceMajeurePaysUninsured?: boolean;
}

export const defaultCompensationPolicy: CompensationPolicy = {
  approvalLimit: { amount: 500, currency: 'CNY' },
  uninsuredLossFreightMultiple: 3,
  packagingDamageShare: 0.1,
  contentsDamageShare: 0.3,
  delayWaivesFreight: true,
  forceMajeurePaysDelay: false,
  forceMajeurePaysUninsured: false,
};

/** Overrides by carrier id; whatever a carrier leaves out comes from the default policy. */
export type CarrierCompensationPolicies = Record<string, Partial<CompensationPolicy>>;

export function policyForCarrier(
  carrierId: string,
  overrides: CarrierCompensationPolicies,
): CompensationPolicy {
  const carrierOverrides = Object.hasOwn(overrides, carrierId) ? overrides[carrierId] : undefined;
  // An override spelled out as undefined (e.g. from a partially filled config) must not erase a default.
  const defined = Object.fromEntries(
    Object.entries(carrierOverrides ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<CompensationPolicy>;
  // A copy, so that a caller changing its policy cannot change the defaults every other carrier shares.
  return structuredClone({ ...defaultCompensationPolicy, ...defined });
}

export type CompensationSituation =
  | { kind: 'lost'; actualLoss?: Money }
  | { kind: 'damaged'; severity: 'packaging' | 'contents'; assessedLoss?: Money }
  | { kind: 'delayed'; daysLate?: number };

export interface CompensationProposal {
  amount: Money;
  /** Human-readable, shown to the agent and stored with the proposal. */
  rule: string;
  /** Stable identifier of the rule, for reports. */
  ruleId: string;
}

/** Rounds to cents; the exponent trick avoids binary artefacts such as 1.005 → 1.00. */
export function roundToCents(value: number): number {
  const rounded = Math.round(Number(`${value}e2`));
  return Number.isFinite(rounded) ? rounded / 100 : Math.round(value * 100) / 100;
}

function percent(share: number): string {
  return `${roundToCents(share * 100)} %`;
}

function fail(message: string, details: ErrorDetail[]): never {
  throw new ValidationFailed(message, details);
}

function required(money: Money | undefined, path: string, why: string): Money {
  if (!money) fail(`${path} is required: ${why}`, [{ path, message: `required: ${why}` }]);
  return checked(money, path);
}

function checked(money: Money, path: string): Money {
  if (!Number.isFinite(money.amount) || money.amount < 0) {
    fail(`${path} must be a non-negative amount`, [{ path: `${path}.amount`, message: 'must be ≥ 0' }]);
  }
  return money;
}

/** Amounts are only compared or added within one currency; converting is not the domain's business. */
function sameCurrency(base: Money, other: Money, path: string): void {
  if (other.currency !== base.currency) {
    fail(`${path} is in ${other.currency}, expected ${base.currency}`, [
      { path: `${path}.currency`, message: `expected ${base.currency}` },
    ]);
  }
}

function proposal(amount: number, currency: string, rule: string, ruleId: string): CompensationProposal {
  return { amount: { amount: roundToCents(amount), currency }, rule, ruleId };
}

function lostCompensation(
  actualLoss: Money | undefined,
  shipment: Shipment,
  policy: CompensationPolicy,
): CompensationProposal {
  if (shipment.insured) {
    const declared = required(shipment.declaredValue, 'shipment.declaredValue', 'an insured loss pays it');
    return proposal(declared.amount, declared.currency, 'insured loss: declared value', 'lost.insured');
  }

  const freight = required(
    shipment.freight,
    'shipment.freight',
    'an uninsured loss is capped by the freight',
  );
  const multiple = policy.uninsuredLossFreightMultiple;
  // Candidates in order of preference: on a tie the customer's own loss is the rule shown.
  const candidates: { amount: number; rule: string; ruleId: string }[] = [];
  if (actualLoss) {
    sameCurrency(freight, checked(actualLoss, 'situation.actualLoss'), 'situation.actualLoss');
    candidates.push({ amount: actualLoss.amount, rule: 'actual loss', ruleId: 'lost.uninsured.actual_loss' });
  } else if (shipment.declaredValue) {
    sameCurrency(
      freight,
      checked(shipment.declaredValue, 'shipment.declaredValue'),
      'shipment.declaredValue',
    );
    candidates.push({
      amount: shipment.declaredValue.amount,
      rule: 'declared value',
      ruleId: 'lost.uninsured.declared_value',
    });
  }
  candidates.push({
    amount: multiple * freight.amount,
    rule: `${multiple} × freight`,
    ruleId: 'lost.uninsured.freight_multiple',
  });
  if (policy.uninsuredLossFixedCap) {
    sameCurrency(
      freight,
      checked(policy.uninsuredLossFixedCap, 'policy.uninsuredLossFixedCap'),
      'policy.uninsuredLossFixedCap',
    );
    candidates.push({
      amount: policy.uninsuredLossFixedCap.amount,
      rule: 'fixed cap',
      ruleId: 'lost.uninsured.fixed_cap',
    });
  }
  const lowest = candidates.reduce((best, candidate) => (candidate.amount < best.amount ? candidate : best));
  return proposal(lowest.amount, freight.currency, `uninsured loss: ${lowest.rule}`, lowest.ruleId);
}

function damagedCompensation(
  severity: 'packaging' | 'contents',
  assessedLoss: Money | undefined,
  shipment: Shipment,
  policy: CompensationPolicy,
): CompensationProposal {
  const declared = required(
    shipment.declaredValue,
    'shipment.declaredValue',
    'damage is paid as a share of it, or capped by it',
  );
  if (severity === 'packaging') {
    return proposal(
      declared.amount * policy.packagingDamageShare,
      declared.currency,
      `damaged packaging: ${percent(policy.packagingDamageShare)} of declared value`,
      'damaged.packaging',
    );
  }
  if (!assessedLoss) {
    return proposal(
      declared.amount * policy.contentsDamageShare,
      declared.currency,
      `damaged contents: ${percent(policy.contentsDamageShare)} of declared value`,
      'damaged.contents.share',
    );
  }
  sameCurrency(declared, checked(assessedLoss, 'situation.assessedLoss'), 'situation.assessedLoss');
  if (assessedLoss.amount > declared.amount) {
    return proposal(
      declared.amount,
      declared.currency,
      'damaged contents: assessed loss, capped at declared value',
      'damaged.contents.assessed_capped',
    );
  }
  return proposal(
    assessedLoss.amount,
    declared.currency,
    'damaged contents: assessed loss',
    'damaged.contents.assessed',
  );
}

function delayedCompensation(
  daysLate: number | undefined,
  shipment: Shipment,
  policy: CompensationPolicy,
): CompensationProposal {
  const parts: string[] = [];
  let total = 0;
  let currency: string | undefined;
  if (policy.delayWaivesFreight) {
    const freight = required(shipment.freight, 'shipment.freight', 'a delay waives the freight');
    total += freight.amount;
    currency = freight.currency;
    parts.push('freight waived');
  }
  if (policy.delayPerDay) {
    const perDay = checked(policy.delayPerDay, 'policy.delayPerDay');
    if (daysLate === undefined || !Number.isInteger(daysLate) || daysLate < 0) {
      fail('situation.daysLate is required: the policy pays per day late', [
        { path: 'situation.daysLate', message: 'required: a whole number of days ≥ 0' },
      ]);
    }
    if (currency !== undefined) sameCurrency({ amount: 0, currency }, perDay, 'policy.delayPerDay');
    currency = perDay.currency;
    total += perDay.amount * daysLate;
    parts.push(
      `${roundToCents(perDay.amount)} ${perDay.currency} × ${daysLate} ${daysLate === 1 ? 'day' : 'days'}`,
    );
  }
  if (currency === undefined) {
    // Without freight we do not know the shipment's currency; the configured approval currency is the house one.
    return proposal(
      0,
      policy.approvalLimit.currency,
      'delayed: no compensation under this policy',
      'delayed.none',
    );
  }
  const ruleId =
    parts.length === 2
      ? 'delayed.freight_and_per_day'
      : policy.delayWaivesFreight
        ? 'delayed.freight'
        : 'delayed.per_day';
  return proposal(total, currency, `delayed: ${parts.join(' + ')}`, ruleId);
}

/** What caused the problem, as far as compensation cares. */
export interface CompensationCause {
  forceMajeure?: boolean;
}

/** Force majeure pays nothing for a delay, or for uninsured loss and damage, unless the policy says so. */
function forceMajeureExemption(
  situation: CompensationSituation,
  shipment: Shipment,
  policy: CompensationPolicy,
): CompensationProposal | null {
  const currency =
    shipment.freight?.currency ?? shipment.declaredValue?.currency ?? policy.approvalLimit.currency;
  if (situation.kind === 'delayed' && !policy.forceMajeurePaysDelay) {
    return proposal(0, currency, 'delayed by force majeure: no compensation', 'force_majeure.delayed');
  }
  if (situation.kind !== 'delayed' && !shipment.insured && !policy.forceMajeurePaysUninsured) {
    return proposal(
      0,
      currency,
      `${situation.kind} by force majeure, uninsured: no compensation`,
      `force_majeure.${situation.kind}.uninsured`,
    );
  }
  return null;
}

/** The compensation the policy proposes for a situation; throws ValidationFailed when data it needs is missing. */
export function computeCompensation(
  situation: CompensationSituation,
  shipment: Shipment,
  policy: CompensationPolicy = defaultCompensationPolicy,
  cause: CompensationCause = {},
): CompensationProposal {
  const exempt = cause.forceMajeure ? forceMajeureExemption(situation, shipment, policy) : null;
  if (exempt) return exempt;
  switch (situation.kind) {
    case 'lost':
      return lostCompensation(situation.actualLoss, shipment, policy);
    case 'damaged':
      return damagedCompensation(situation.severity, situation.assessedLoss, shipment, policy);
    case 'delayed':
      return delayedCompensation(situation.daysLate, shipment, policy);
  }
}

/**
 * Amounts strictly above the approval limit need a supervisor. An amount in another currency than the limit
 * cannot be compared, so it goes to a supervisor too.
 */
export function needsSupervisorApproval(
  amount: Money,
  policy: CompensationPolicy = defaultCompensationPolicy,
): boolean {
  if (amount.currency !== policy.approvalLimit.currency) return true;
  return amount.amount > policy.approvalLimit.amount;
}

/** A compensation amount and the rule that produced it, before anyone approved it. */
export interface ProposedCompensation {
  amount: Money;
  rule: string;
}

/**
 * Where a proposed amount comes from: the policy's calculation for a situation (with the rule that produced
 * it), or an amount the agent agreed with the customer.
 */
export function proposeCompensation(
  input: { compensation?: Money; situation?: CompensationSituation },
  shipment: SupportCase['shipment'],
  policy: CompensationPolicy,
  cause: CompensationCause = {},
): ProposedCompensation | undefined {
  if (input.situation) {
    const proposal = computeCompensation(input.situation, shipment ?? {}, policy, cause);
    return { amount: proposal.amount, rule: proposal.rule };
  }
  if (input.compensation) return { amount: input.compensation, rule: 'agreed amount' };
  return undefined;
}

/** Within the limit an agent decides alone; above it a supervisor must approve, and is on record. */
export function approveCompensation(
  proposed: ProposedCompensation | undefined,
  actor: StaffMember,
  policy: CompensationPolicy,
): SupportCase['compensation'] {
  if (!proposed) return undefined;
  const needsApproval = needsSupervisorApproval(proposed.amount, policy);
  if (needsApproval) assertMayDo(actor, 'approve_compensation');
  return {
    amount: proposed.amount.amount,
    currency: proposed.amount.currency,
    rule: proposed.rule,
    approvedBy: needsApproval ? actor.sub : null,
  };
}

/** What the customer is told of a granted compensation: the amount and the rule, not who approved it. */
export function compensationForCustomer(compensation: NonNullable<SupportCase['compensation']>) {
  return { amount: compensation.amount, currency: compensation.currency, rule: compensation.rule };
}
