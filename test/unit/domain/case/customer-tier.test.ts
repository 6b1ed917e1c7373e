import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { applyCustomerTier } from '#domain/case/customer-tier';
import { acceptReceivedCase } from '#domain/case/intake';
import { levelForSeverity } from '#domain/case/ownership';
import { type CaseSubmission, registerCase } from '#domain/case/registration';
import { assignCase, correctCategory, escalateManually } from '#domain/case/staff-actions';
import type { CustomerTier } from '#domain/case-model';
import { routeCase } from '#domain/routing';
import type { StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { aCaseId, aComplaintSubmission } from '../../../support/support-cases.ts';

const calendar = chinaBusinessCalendar();
const sla = { calendar };
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const hours = (n: number) => n * 3600_000;
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
const receivedAt = shanghai('2026-03-02 09:00');
const alice: StaffMember = { sub: 'alice', roles: ['agent'], email: 'alice@carrier.example' };

/** A case registered with the tier the directory held, then accepted by intake at the same instant. */
function accepted(submission: Partial<CaseSubmission> = {}, tier: CustomerTier = 'standard') {
  const { supportCase } = registerCase(aComplaintSubmission(submission), {
    caseId: aCaseId(),
    now: receivedAt,
    accessTokenHash: 'h',
    tokenNonce: 'n',
    contactHashes: ['hash-of-zhangsan'],
    sla,
    tier,
  });
  const decision = acceptReceivedCase(supportCase, { now: receivedAt, sla, duplicateOf: null });
  if (!decision) throw new Error('not accepted');
  return decision;
}

// A delivery complaint (normal, operations): first response 2 h, plan 24 h, resolution 7 calendar days.
const delivery = { subject: '包裹送错了', description: '快递送到了别人家', category: 'delivery' };

describe('a vip or enterprise customer at intake (DOMAIN.md §3)', () => {
  it.each(['vip', 'enterprise'] as const)('registers a %s complaint one priority level higher', (tier) => {
    const standard = accepted(delivery).supportCase;
    const raised = accepted(delivery, tier).supportCase;
    expect(standard.priority).toBe('normal');
    expect(raised.priority).toBe('high');
    expect(raised.customer.tier).toBe(tier);
    expect(raised.team).toBe(standard.team);
  });

  it('gives a vip service complaint, raised to urgent, the halved hour clocks', () => {
    const standard = accepted().supportCase;
    const vip = accepted({}, 'vip').supportCase;
    expect(standard.priority).toBe('high');
    expect(vip.priority).toBe('urgent');
    expect(vip.clocks.firstResponse?.dueAt).toBe(later(receivedAt, hours(1)).toISOString());
    expect(standard.clocks.firstResponse?.dueAt).toBe(later(receivedAt, hours(2)).toISOString());
    expect(vip.clocks.plan?.dueAt).toBe(later(receivedAt, hours(12)).toISOString());
  });
});

describe('the routing rule names the uplift once', () => {
  it('counts an enterprise tier and an enterprise customer type as one reason, one level', () => {
    const route = routeCase({
      type: 'suggestion',
      category: 'product',
      customerType: 'enterprise',
      tier: 'enterprise',
    });
    expect(route).toMatchObject({
      priority: 'normal',
      rule: 'suggestion → low, service; enterprise customer: raised to normal',
    });
  });
});

describe('ownership by severity: major complaints belong to a manager', () => {
  it('starts an urgent privacy complaint at the manager level, on the timeline', () => {
    const { supportCase, timeline } = accepted({
      subject: '个人信息泄露',
      description: '快递员把我的电话号码泄露给了别人',
      category: 'privacy',
    });
    expect(supportCase).toMatchObject({ priority: 'urgent', escalationLevel: 2, handler: null });
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: 'escalated',
        actor: 'system',
        internal: true,
        data: expect.objectContaining({ from: 0, to: 2, cause: 'severity' }),
      }),
    );
  });

  it('leaves a high-priority case with a specialist', () => {
    const { supportCase, timeline } = accepted();
    expect(supportCase.escalationLevel).toBe(0);
    expect(timeline.some((entry) => entry.kind === 'escalated')).toBe(false);
  });

  it('puts a case escalated twice at the manager level, with no level above', () => {
    const open = accepted().supportCase;
    const context = { at: later(receivedAt, hours(1)), actor: alice, reason: '客户不满', teamLeads: {} };
    const once = escalateManually(open, context).supportCase;
    const twice = escalateManually(once, context).supportCase;
    expect([once.escalationLevel, twice.escalationLevel]).toEqual([1, 2]);
    expect(() => escalateManually(twice, context)).toThrow(/already with a manager/);
  });

  it('moves a case to a manager when a corrected category makes it urgent', () => {
    const open = accepted({ subject: '投诉', description: '请处理', category: 'other' }).supportCase;
    const { supportCase } = correctCategory(open, {
      at: later(receivedAt, hours(1)),
      actor: alice,
      category: 'privacy',
      sla,
    });
    expect(supportCase).toMatchObject({ priority: 'urgent', escalationLevel: 2 });
  });

  it.each([
    ['urgent', 0, 2],
    ['urgent', 1, 2],
    ['high', 0, 0],
    ['high', 1, 1],
    ['low', 2, 2],
  ] as const)('a %s case at level %i must sit at least at level %i', (priority, level, expected) => {
    expect(levelForSeverity(priority, level)).toBe(expected);
  });
});

describe("re-prioritising an open case when its customer's tier changes", () => {
  const changedAt = later(receivedAt, hours(1));
  const retier = (supportCase: SupportCase, tier: CustomerTier, at = changedAt) =>
    applyCustomerTier(supportCase, { at, tier, sla });

  it('raises the priority one level and moves the running clocks, keeping the time used', () => {
    const before = accepted(delivery).supportCase;
    const { supportCase, timeline } = retier(before, 'vip');
    expect(supportCase.priority).toBe('high');
    expect(supportCase.customer.tier).toBe('vip');
    expect(supportCase.clocks.firstResponse?.startedAt).toBe(before.clocks.firstResponse?.startedAt);
    expect(timeline).toEqual([
      expect.objectContaining({
        kind: 'tier_changed',
        internal: true,
        data: expect.objectContaining({
          from: 'standard',
          to: 'vip',
          previousPriority: 'normal',
          priority: 'high',
        }),
      }),
    ]);
  });

  it('halves the running hour targets when the new tier makes the case urgent, and hands it to a manager', () => {
    const before = assignCase(accepted().supportCase, {
      at: later(receivedAt, 600_000),
      actor: alice,
    }).supportCase;
    const { supportCase, timeline } = retier(before, 'enterprise');
    expect(supportCase).toMatchObject({
      priority: 'urgent',
      escalationLevel: 2,
      handler: null,
      owner: 'alice',
    });
    expect(supportCase.clocks.firstResponse?.dueAt).toBe(later(receivedAt, hours(1)).toISOString());
    expect(supportCase.clocks.plan?.dueAt).toBe(later(receivedAt, hours(12)).toISOString());
    expect(supportCase.deadlines.planDueAt).toBe(later(receivedAt, hours(12)).toISOString());
    expect(timeline.map((entry) => entry.kind)).toEqual(['tier_changed', 'escalated']);
  });

  it('lowers the priority again when the tier goes back to standard, but never the level', () => {
    const vip = accepted({}, 'vip').supportCase;
    const { supportCase } = retier(vip, 'standard');
    expect(supportCase.priority).toBe('high');
    expect(supportCase.clocks.firstResponse?.dueAt).toBe(later(receivedAt, hours(2)).toISOString());
    expect(supportCase.escalationLevel).toBe(2);
  });

  it('changes nothing when the tier is the same, or the case is resolved or closed', () => {
    const open = accepted(delivery).supportCase;
    expect(retier(open, 'standard')).toEqual({ supportCase: open, timeline: [], notifications: [] });
    for (const status of ['resolved', 'closed'] as const) {
      const done = { ...open, status };
      expect(retier(done, 'vip').supportCase).toBe(done);
    }
  });

  it('records the tier on a case still waiting for intake, which routes it with that tier', () => {
    const { supportCase: received } = registerCase(aComplaintSubmission(delivery), {
      caseId: aCaseId(),
      now: receivedAt,
      accessTokenHash: 'h',
      tokenNonce: 'n',
      contactHashes: [],
      sla,
    });
    const retiered = retier(received, 'vip', receivedAt).supportCase;
    const intake = acceptReceivedCase(retiered, { now: later(receivedAt, 1000), sla, duplicateOf: null });
    expect(intake?.supportCase).toMatchObject({
      priority: 'high',
      customer: expect.objectContaining({ tier: 'vip' }),
    });
  });
});
