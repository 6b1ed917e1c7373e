import { describe, expect, it } from 'vitest';
import type { Money, Shipment } from '#domain/case-model';
import {
  type CarrierCompensationPolicies,
  type CompensationPolicy,
  type CompensationSituation,
  computeCompensation,
  defaultCompensationPolicy,
  needsSupervisorApproval,
  policyForCarrier,
  roundToCents,
} from '#domain/compensation';
import { ValidationFailed } from '#domain/errors';

const cny = (amount: number): Money => ({ amount, currency: 'CNY' });
const shipment = (overrides: Partial<Shipment> = {}): Shipment => ({
  service: 'standard',
  route: 'inter_province',
  declaredValue: cny(800),
  insured: false,
  freight: cny(18),
  ...overrides,
});
const policy = (overrides: Partial<CompensationPolicy> = {}): CompensationPolicy => ({
  ...defaultCompensationPolicy,
  ...overrides,
});
const lost = (actualLoss?: Money): CompensationSituation => ({ kind: 'lost', actualLoss });

/** The ValidationFailed paths a call throws, or fails the test if it does not throw one. */
function failingPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).details?.map((d) => d.path) ?? [];
  }
  throw new Error('expected ValidationFailed');
}

describe('lost, insured', () => {
  it('pays the declared (insured) value', () => {
    expect(computeCompensation(lost(), shipment({ insured: true }))).toEqual({
      amount: cny(800),
      rule: 'insured loss: declared value',
      ruleId: 'lost.insured',
    });
  });

  it('pays the declared value even without freight', () => {
    expect(computeCompensation(lost(), shipment({ insured: true, freight: undefined })).amount).toEqual(
      cny(800),
    );
  });

  it('needs the declared value', () => {
    expect(
      failingPaths(() => computeCompensation(lost(), shipment({ insured: true, declaredValue: undefined }))),
    ).toEqual(['shipment.declaredValue']);
  });
});

describe('lost, uninsured', () => {
  it('is capped at 3 × freight', () => {
    expect(computeCompensation(lost(cny(300)), shipment())).toEqual({
      amount: cny(54),
      rule: 'uninsured loss: 3 × freight',
      ruleId: 'lost.uninsured.freight_multiple',
    });
  });

  it('pays the actual loss when it is below the cap', () => {
    expect(computeCompensation(lost(cny(40)), shipment())).toMatchObject({
      amount: cny(40),
      rule: 'uninsured loss: actual loss',
    });
  });

  it('shows the actual loss as the rule when it equals the cap', () => {
    expect(computeCompensation(lost(cny(54)), shipment()).rule).toBe('uninsured loss: actual loss');
  });

  it('falls back to the declared value when the actual loss is not given', () => {
    expect(computeCompensation(lost(), shipment({ declaredValue: cny(30) }))).toMatchObject({
      amount: cny(30),
      rule: 'uninsured loss: declared value',
      ruleId: 'lost.uninsured.declared_value',
    });
  });

  it('pays the freight multiple when neither the loss nor the value is known', () => {
    expect(computeCompensation(lost(), shipment({ declaredValue: undefined })).amount).toEqual(cny(54));
  });

  it('prefers the actual loss over the declared value', () => {
    expect(computeCompensation(lost(cny(20)), shipment({ declaredValue: cny(30) })).amount).toEqual(cny(20));
  });

  it('needs the freight', () => {
    expect(failingPaths(() => computeCompensation(lost(cny(40)), shipment({ freight: undefined })))).toEqual([
      'shipment.freight',
    ]);
  });

  it('does not compare amounts in different currencies', () => {
    const usd = { amount: 40, currency: 'USD' };
    expect(failingPaths(() => computeCompensation(lost(usd), shipment()))).toEqual([
      'situation.actualLoss.currency',
    ]);
  });

  it('refuses a negative loss', () => {
    expect(failingPaths(() => computeCompensation(lost(cny(-1)), shipment()))).toEqual([
      'situation.actualLoss.amount',
    ]);
  });
});

describe('damaged', () => {
  it('packaging only: 10 % of the declared value', () => {
    expect(computeCompensation({ kind: 'damaged', severity: 'packaging' }, shipment())).toEqual({
      amount: cny(80),
      rule: 'damaged packaging: 10 % of declared value',
      ruleId: 'damaged.packaging',
    });
  });

  it('contents, not assessed: 30 % of the declared value', () => {
    expect(computeCompensation({ kind: 'damaged', severity: 'contents' }, shipment())).toEqual({
      amount: cny(240),
      rule: 'damaged contents: 30 % of declared value',
      ruleId: 'damaged.contents.share',
    });
  });

  it('contents, assessed: the assessed loss', () => {
    const situation: CompensationSituation = {
      kind: 'damaged',
      severity: 'contents',
      assessedLoss: cny(120),
    };
    expect(computeCompensation(situation, shipment())).toEqual({
      amount: cny(120),
      rule: 'damaged contents: assessed loss',
      ruleId: 'damaged.contents.assessed',
    });
  });

  it('contents, assessed above the declared value: capped at the declared value', () => {
    const situation: CompensationSituation = {
      kind: 'damaged',
      severity: 'contents',
      assessedLoss: cny(1000),
    };
    expect(computeCompensation(situation, shipment())).toEqual({
      amount: cny(800),
      rule: 'damaged contents: assessed loss, capped at declared value',
      ruleId: 'damaged.contents.assessed_capped',
    });
  });

  it('needs the declared value', () => {
    const noValue = shipment({ declaredValue: undefined });
    expect(
      failingPaths(() => computeCompensation({ kind: 'damaged', severity: 'packaging' }, noValue)),
    ).toEqual(['shipment.declaredValue']);
  });

  it('rounds to cents', () => {
    const amount = computeCompensation(
      { kind: 'damaged', severity: 'packaging' },
      shipment({ declaredValue: cny(123.45) }),
    );
    expect(amount.amount).toEqual(cny(12.35));
  });
});

describe('delayed', () => {
  it('waives the freight', () => {
    expect(computeCompensation({ kind: 'delayed', daysLate: 2 }, shipment())).toEqual({
      amount: cny(18),
      rule: 'delayed: freight waived',
      ruleId: 'delayed.freight',
    });
  });

  it('adds a per-day amount when the carrier pays one', () => {
    const perDay = policy({ delayPerDay: cny(5) });
    expect(computeCompensation({ kind: 'delayed', daysLate: 3 }, shipment(), perDay)).toEqual({
      amount: cny(33),
      rule: 'delayed: freight waived + 5 CNY × 3 days',
      ruleId: 'delayed.freight_and_per_day',
    });
  });

  it('pays only per day when the carrier does not waive the freight', () => {
    const perDayOnly = policy({ delayWaivesFreight: false, delayPerDay: cny(5) });
    expect(computeCompensation({ kind: 'delayed', daysLate: 1 }, shipment(), perDayOnly)).toEqual({
      amount: cny(5),
      rule: 'delayed: 5 CNY × 1 day',
      ruleId: 'delayed.per_day',
    });
  });

  it('proposes nothing when the carrier pays nothing for delays', () => {
    const nothing = policy({ delayWaivesFreight: false });
    expect(computeCompensation({ kind: 'delayed' }, shipment(), nothing)).toMatchObject({
      amount: cny(0),
      ruleId: 'delayed.none',
    });
  });

  it('needs the freight to waive it', () => {
    expect(
      failingPaths(() => computeCompensation({ kind: 'delayed' }, shipment({ freight: undefined }))),
    ).toEqual(['shipment.freight']);
  });

  it('needs the days late when paying per day', () => {
    const perDay = policy({ delayPerDay: cny(5) });
    expect(failingPaths(() => computeCompensation({ kind: 'delayed' }, shipment(), perDay))).toEqual([
      'situation.daysLate',
    ]);
    expect(
      failingPaths(() => computeCompensation({ kind: 'delayed', daysLate: 1.5 }, shipment(), perDay)),
    ).toEqual(['situation.daysLate']);
  });
});

describe('carrier policies', () => {
  const carriers: CarrierCompensationPolicies = {
    swift: { uninsuredLossFreightMultiple: 5 },
    capped: { uninsuredLossFixedCap: cny(50) },
    generous: { packagingDamageShare: 0.15, contentsDamageShare: 0.5, approvalLimit: cny(1000) },
    sparse: { approvalLimit: undefined },
  };

  it('a carrier without overrides gets the defaults', () => {
    expect(policyForCarrier('unknown', carriers)).toEqual(defaultCompensationPolicy);
  });

  it('a carrier may choose another freight multiple', () => {
    const result = computeCompensation(lost(cny(300)), shipment(), policyForCarrier('swift', carriers));
    expect(result).toMatchObject({ amount: cny(90), rule: 'uninsured loss: 5 × freight' });
  });

  it('a carrier may add a fixed cap', () => {
    const result = computeCompensation(lost(cny(300)), shipment(), policyForCarrier('capped', carriers));
    expect(result).toEqual({
      amount: cny(50),
      rule: 'uninsured loss: fixed cap',
      ruleId: 'lost.uninsured.fixed_cap',
    });
  });

  it('a fixed cap above the freight multiple does not bind', () => {
    const result = computeCompensation(
      lost(cny(300)),
      shipment({ freight: cny(10) }),
      policyForCarrier('capped', carriers),
    );
    expect(result).toMatchObject({ amount: cny(30), rule: 'uninsured loss: 3 × freight' });
  });

  it('a carrier may pay other damage shares, and the rule says so', () => {
    const generous = policyForCarrier('generous', carriers);
    expect(
      computeCompensation({ kind: 'damaged', severity: 'packaging' }, shipment(), generous),
    ).toMatchObject({
      amount: cny(120),
      rule: 'damaged packaging: 15 % of declared value',
    });
    expect(
      computeCompensation({ kind: 'damaged', severity: 'contents' }, shipment(), generous),
    ).toMatchObject({
      amount: cny(400),
      rule: 'damaged contents: 50 % of declared value',
    });
  });

  it('keeps the defaults for whatever a carrier leaves out, even when spelled as undefined', () => {
    expect(policyForCarrier('generous', carriers).uninsuredLossFreightMultiple).toBe(3);
    expect(policyForCarrier('sparse', carriers).approvalLimit).toEqual(cny(500));
  });

  it('does not change the default policy', () => {
    policyForCarrier('unknown', carriers).approvalLimit.amount = 1;
    expect(defaultCompensationPolicy.approvalLimit).toEqual(cny(500));
  });
});

describe('supervisor approval', () => {
  it('is not needed up to the limit of 500 CNY', () => {
    expect(needsSupervisorApproval(cny(500))).toBe(false);
  });

  it('is needed above it', () => {
    expect(needsSupervisorApproval(cny(500.01))).toBe(true);
  });

  it('follows a carrier limit', () => {
    expect(needsSupervisorApproval(cny(800), policy({ approvalLimit: cny(1000) }))).toBe(false);
  });

  it('is needed for an amount in another currency, which cannot be compared with the limit', () => {
    expect(needsSupervisorApproval({ amount: 1, currency: 'USD' })).toBe(true);
  });
});

describe('rounding', () => {
  it.each([
    [1.005, 1.01],
    [37.035, 37.04],
    [99.999, 100],
    [54, 54],
  ])('%d rounds to %d', (value, rounded) => {
    expect(roundToCents(value)).toBe(rounded);
  });
});
