// The policy in force, as the use cases hand it to the domain: its calendar judges each day by that day's
// year, and a deadline resting on a provisional year is approximate and counted (issue 10, "Done when").
import { describe, expect, it } from 'vitest';
import { fixedPolicySource } from '#adapters/policy-source';
import { acceptReceivedCase } from '#domain/case/intake';
import { defaultServicePolicy } from '#domain/service-policy';
import { parseServicePolicy } from '#shared/service-policy-schema';
import { policyInForce } from '#use-cases/policy-in-force';
import { aReceivedCase } from '../../support/support-cases.ts';

const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);

function depsWith(document: unknown = {}) {
  const parsed = parseServicePolicy(document);
  if (!parsed.ok) throw new Error(parsed.problems);
  const counted: string[] = [];
  return {
    counted,
    deps: {
      policy: fixedPolicySource(parsed.policy),
      carrierId: 'default',
      metrics: { count: (name: string) => counted.push(name) },
      logger: { info() {}, warn() {}, error() {} },
    },
  };
}

/** A delay report on an express inter-province parcel shipped Monday 29 December 2025, 10:00. */
async function delayCheck(receivedAt: Date, document?: unknown) {
  const { deps } = depsWith(document);
  const { policy, sla } = await policyInForce(deps);
  const received = aReceivedCase({
    receivedAt,
    submission: {
      type: 'exception',
      category: 'delayed',
      subject: '快递延误',
      description: '快递还没到',
      shipment: {
        service: 'express',
        route: 'inter_province',
        shippedAt: shanghai('2025-12-29 10:00').toISOString(),
      },
    },
  });
  const decision = acceptReceivedCase(received, {
    now: receivedAt,
    sla,
    duplicateOf: null,
    commitments: policy.deliveryCommitments,
  });
  return decision?.timeline.find((entry) => entry.kind === 'delivery_checked')?.data;
}

describe('the calendar a deadline is judged on', () => {
  it('judges a delay report shipped on 2025-12-29 on the 2025 calendar for its 2025 days', async () => {
    // 6 working days: Tue 30 and Wed 31 December 2025; 1–3 January 2026 are off; Sunday 4 January is a
    // make-up working day; then 5, 6 and 7 January. The commitment ends at 00:00 on 8 January.
    const check = await delayCheck(shanghai('2026-01-09 10:00'));
    expect(check).toMatchObject({
      verdict: 'delayed',
      commitmentAt: shanghai('2026-01-08 00:00').toISOString(),
    });
    expect(check).not.toHaveProperty('approximate');
  });

  it('follows the 2025 data of the policy, not the year of the report', async () => {
    // An operator's correction to 2025 (a day off on 31 December) moves the commitment by one working day.
    const corrected2025 = {
      ...defaultServicePolicy.calendar[2025],
      holidays: [
        ...(defaultServicePolicy.calendar[2025]?.holidays ?? []),
        { name: 'Test', from: '2025-12-31', to: '2025-12-31' },
      ],
    };
    const check = await delayCheck(shanghai('2026-01-09 10:00'), { calendar: { 2025: corrected2025 } });
    expect(check).toMatchObject({
      verdict: 'delayed',
      commitmentAt: shanghai('2026-01-09 00:00').toISOString(),
    });
  });

  it('marks a working-day deadline in June 2027 approximate, and counts it', async () => {
    const { deps, counted } = depsWith();
    const { sla } = await policyInForce(deps);
    // A suggestion: 3 working days. Tue 8 June; Wed 9 June is Dragon Boat (one day only); Thu 10, Fri 11.
    const received = aReceivedCase({
      receivedAt: shanghai('2027-06-07 10:00'),
      submission: {
        type: 'suggestion',
        category: undefined,
        subject: '建议',
        description: '希望增加夜间派送',
      },
    });
    const accepted = acceptReceivedCase(received, {
      now: shanghai('2027-06-07 10:00'),
      sla,
      duplicateOf: null,
    });
    const resolution = accepted?.supportCase.clocks.resolution;
    expect(resolution).toMatchObject({
      dueAt: shanghai('2027-06-12 00:00').toISOString(),
      approximate: true,
    });
    expect(accepted?.supportCase.clocks.firstResponse).not.toHaveProperty('approximate');
    expect(counted).toContain('CalendarDataProvisional');
    expect(counted).not.toContain('CalendarDataMissing');
  });

  it('stops marking June 2027 once the official notice is loaded into the policy', async () => {
    const official = { ...defaultServicePolicy.calendar[2027], status: 'official' };
    const { deps, counted } = depsWith({ calendar: { 2027: official } });
    const { sla } = await policyInForce(deps);
    expect(sla.calendar.countWorkingDays(shanghai('2027-06-07 10:00'), 3).approximate).toBe(false);
    expect(counted).toEqual([]);
  });

  it('builds the calendar once per policy, not per case', async () => {
    const { deps } = depsWith();
    expect((await policyInForce(deps)).sla.calendar).toBe((await policyInForce(deps)).sla.calendar);
  });
});
