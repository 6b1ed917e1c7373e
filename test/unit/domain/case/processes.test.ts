// The processes the seeds add beside the complaint flow (README "Processes"); every test names its seed section.
import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { appealCase } from '#domain/case/customer-actions';
import {
  classifyProblem,
  completeParcelReturn,
  orderAppealRedo,
  recordCause,
  startParcelReturn,
} from '#domain/case/process-actions';
import { assignCase, changeStatus, recordPlan, replyToCase, resolveCase } from '#domain/case/staff-actions';
import { computeCompensation, defaultCompensationPolicy, policyForCarrier } from '#domain/compensation';
import { actualDaysLate, withActualDaysLate } from '#domain/delay-days';
import { Conflict, Forbidden, InvalidTransition } from '#domain/errors';
import { renderEmail, renderSms } from '#domain/notification-templates';
import { enforceClocks } from '#domain/sla-enforcement';
import { clockTargetsFor, defaultSlaPolicy } from '#domain/sla-policy';
import type { StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { configFields } from '#shared/config';
import { anOpenCase } from '../../../support/support-cases.ts';

const calendar = chinaBusinessCalendar();
const sla = { calendar };
const policy = defaultCompensationPolicy;
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const hourMs = 3600_000;
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

const receivedAt = shanghai('2026-03-02 09:00');
const alice: StaffMember = { sub: 'alice', roles: ['agent'], email: 'alice@carrier.example' };
const bob: StaffMember = { sub: 'bob', roles: ['agent'], email: 'bob@carrier.example' };
const sue: StaffMember = { sub: 'sue', roles: ['supervisor'], email: 'sue@carrier.example' };

const taken = (at = later(receivedAt, 600_000), locale: 'zh-CN' | 'en' = 'zh-CN') =>
  assignCase(
    anOpenCase({
      receivedAt,
      submission: { customer: { name: 'Li', email: 'li@example.com', type: 'individual', locale } } as never,
    }),
    { at, actor: alice },
  ).supportCase;
const endOfLocalDay = (local: string) => new Date(`${local}T16:00:00.000Z`).toISOString();

describe('returns and re-sends (002 §3.4)', () => {
  it.each([
    ['customer_return', 3],
    ['carrier_return', 2],
    ['system_return', 1],
  ] as const)('gives a %s its own clock of %i working days (002 §3.4)', (kind, days) => {
    const { supportCase, timeline } = startParcelReturn(taken(), {
      at: receivedAt,
      actor: alice,
      kind,
      sla,
    });
    const clock = supportCase.clocks.parcelReturn;
    expect(clock).toMatchObject({
      name: 'parcelReturn',
      state: 'running',
      target: { unit: 'workingDays', amount: days },
    });
    expect(clock?.dueAt).toBe(calendar.countWorkingDays(receivedAt, days).end.toISOString());
    expect(supportCase.parcelReturnKind).toBe(kind);
    expect(timeline[0]).toMatchObject({ kind: 'parcel_return', internal: false });
  });

  it('counts a carrier return across National Day: recorded 30 September, due at the end of 9 October (002 §3.4)', () => {
    const at = shanghai('2026-09-30 10:00');
    const open = { ...taken(), clocks: {} } as SupportCase;
    const { supportCase } = startParcelReturn(open, { at, actor: alice, kind: 'carrier_return', sla });
    expect(supportCase.clocks.parcelReturn?.dueAt).toBe(endOfLocalDay('2026-10-09'));
  });

  it('tells the customer of a wrong-address re-send in their language, with its due day (002 §3.4 地址错误 补寄)', () => {
    const zh = startParcelReturn(taken(), { at: receivedAt, actor: alice, kind: 'address_resend', sla });
    expect(zh.timeline[0]?.message).toContain('免费补寄');
    const en = startParcelReturn(taken(undefined, 'en'), {
      at: receivedAt,
      actor: alice,
      kind: 'address_resend',
      sla,
    });
    expect(en.timeline[0]?.message).toMatch(/re-send your parcel free of charge by 2026-03-04/);
  });

  it('meets the return clock when the agent records it done, and refuses a second one while it runs (002 §3.4)', () => {
    const started = startParcelReturn(taken(), {
      at: receivedAt,
      actor: alice,
      kind: 'customer_return',
      sla,
    }).supportCase;
    expect(() =>
      startParcelReturn(started, { at: receivedAt, actor: alice, kind: 'system_return', sla }),
    ).toThrow(Conflict);
    const done = completeParcelReturn(started, { at: later(receivedAt, 24 * hourMs), actor: alice });
    expect(done.supportCase.clocks.parcelReturn?.state).toBe('met');
    expect(done.timeline[0]).toMatchObject({ kind: 'parcel_return_done', data: { state: 'met' } });
    expect(() => completeParcelReturn(done.supportCase, { at: receivedAt, actor: alice })).toThrow(Conflict);
  });

  it('lets the sweep put a return at risk and breach it like any other clock (002 §3.4)', () => {
    const started = startParcelReturn(taken(), {
      at: receivedAt,
      actor: alice,
      kind: 'system_return',
      sla,
    }).supportCase;
    const clock = started.clocks.parcelReturn;
    if (!clock) throw new Error('no clock');
    const decision = enforceClocks(started, { now: new Date(clock.dueAt), teamLeads: {} });
    const breach = decision?.timeline.find(
      (entry) => entry.kind === 'breached' && entry.data?.clock === 'parcelReturn',
    );
    expect(breach).toBeDefined();
    expect(decision?.supportCase.clocks.parcelReturn?.state).toBe('breached');
  });
});

describe('non-cash remedies (003 §4.3.3, 002 §3.3)', () => {
  it('carries a re-ship in the plan, on the case and in the customer message (003 §4.3.3 补发)', () => {
    const { supportCase, timeline, notifications } = recordPlan(taken(), {
      at: receivedAt,
      actor: alice,
      message: '我们将重新发货',
      remedy: 'reship',
      compensationPolicy: policy,
    });
    expect(supportCase.remedy).toBe('reship');
    expect(timeline.find((entry) => entry.kind === 'plan')?.data).toEqual({ remedy: 'reship' });
    expect(notifications[0]?.data).toMatchObject({ kind: 'plan', remedy: 'reship' });
  });

  it('offers a free replacement beside money in the resolution (002 §3.3 免费更换)', () => {
    const { supportCase, notifications } = resolveCase(taken(), {
      at: receivedAt,
      actor: alice,
      resolution: 'Done',
      remedy: 'replacement',
      compensation: { amount: { amount: 30, currency: 'CNY' }, rule: 'agreed amount' },
      compensationPolicy: policy,
    });
    expect(supportCase).toMatchObject({ remedy: 'replacement', compensation: { amount: 30 } });
    expect(notifications.find((intent) => intent.kind === 'resolution')?.data).toMatchObject({
      remedy: 'replacement',
    });
  });

  it.each([
    ['zh-CN', 'reship', '免费补发'],
    ['zh-CN', 'replacement', '免费更换'],
    ['zh-CN', 'resend', '免费补寄'],
    ['en', 'reship', 're-ship your parcel free of charge'],
    ['en', 'replacement', 'free replacement'],
    ['en', 'resend', 're-send your parcel free of charge'],
  ] as const)(
    'tells the customer in %s of a %s by email and SMS (003 §4.3.3, 002 §3.3)',
    (locale, remedy, text) => {
      const data = { kind: 'resolution' as const, caseId: 'CS2611230001AB', resolution: 'OK', remedy };
      expect(renderEmail('resolution', locale, data).text).toContain(text);
      expect(renderSms('resolution', locale, data)).toContain(text);
    },
  );
});

describe('per-day delay compensation (002 §3.1 按实际延误天数按日计费)', () => {
  const shipment = {
    service: 'standard' as const,
    route: 'inter_province' as const,
    shippedAt: shanghai('2026-03-02 10:00').toISOString(),
    freight: { amount: 18, currency: 'CNY' },
  };
  const perDay = policyForCarrier('c', { c: { delayPerDay: { amount: 5, currency: 'CNY' } } });

  it('counts the actual days late from the delivery commitment when the agent gives none (002 §3.1)', () => {
    // Standard inter-province: 7 working days, due at the end of Wednesday 11 March.
    expect(actualDaysLate(shipment, shanghai('2026-03-11 20:00'), calendar)).toBe(0);
    expect(actualDaysLate(shipment, shanghai('2026-03-14 09:00'), calendar)).toBe(3);
    const situation = withActualDaysLate(
      { kind: 'delayed' },
      shipment,
      shanghai('2026-03-14 09:00'),
      calendar,
    );
    expect(computeCompensation(situation, shipment, perDay)).toMatchObject({
      amount: { amount: 18 + 3 * 5 },
      ruleId: 'delayed.freight_and_per_day',
    });
  });

  it("keeps the agent's own count of days (002 §3.1)", () => {
    const situation = withActualDaysLate(
      { kind: 'delayed', daysLate: 1 },
      shipment,
      shanghai('2026-03-14 09:00'),
      calendar,
    );
    expect(situation).toEqual({ kind: 'delayed', daysLate: 1 });
  });
});

describe('force majeure (不可抗力, 002 §3.1)', () => {
  const insured = {
    insured: true,
    declaredValue: { amount: 800, currency: 'CNY' },
    freight: { amount: 18, currency: 'CNY' },
  };
  const uninsured = {
    freight: { amount: 18, currency: 'CNY' },
    declaredValue: { amount: 800, currency: 'CNY' },
  };

  it('pays nothing for a delay by force majeure: per-day billing is for transport delays (002 §3.1)', () => {
    const proposal = computeCompensation({ kind: 'delayed', daysLate: 2 }, uninsured, policy, {
      forceMajeure: true,
    });
    expect(proposal).toMatchObject({
      amount: { amount: 0, currency: 'CNY' },
      ruleId: 'force_majeure.delayed',
    });
    const paying = policyForCarrier('c', { c: { forceMajeurePaysDelay: true } });
    expect(
      computeCompensation({ kind: 'delayed' }, uninsured, paying, { forceMajeure: true }).amount.amount,
    ).toBe(18);
  });

  it('still pays an insured loss by force majeure, but not an uninsured one (002 §3.1, 邮政法 Art. 48)', () => {
    expect(computeCompensation({ kind: 'lost' }, insured, policy, { forceMajeure: true }).amount.amount).toBe(
      800,
    );
    expect(computeCompensation({ kind: 'lost' }, uninsured, policy, { forceMajeure: true })).toMatchObject({
      amount: { amount: 0 },
      ruleId: 'force_majeure.lost.uninsured',
    });
    expect(computeCompensation({ kind: 'lost' }, uninsured, policy).amount.amount).toBe(54);
  });

  it('is recorded on the case and shown to the customer on the timeline and in the plan (002 §3.1)', () => {
    const { supportCase, timeline } = recordCause(taken(), {
      at: receivedAt,
      actor: alice,
      forceMajeure: true,
      reason: 'Typhoon closed the hub',
    });
    expect(supportCase.forceMajeure).toBe(true);
    expect(timeline[0]).toMatchObject({ kind: 'cause_recorded', internal: false });
    expect(timeline[0]?.message).toContain('不可抗力');
    const plan = recordPlan(supportCase, {
      at: receivedAt,
      actor: alice,
      message: '顺延',
      compensationPolicy: policy,
    });
    const data = plan.notifications[0]?.data;
    expect(data).toMatchObject({ forceMajeure: true });
    if (data?.kind !== 'plan') throw new Error('no plan message');
    expect(renderEmail('plan', 'en', data).text).toContain('force majeure');
    expect(renderSms('plan', 'zh-CN', data)).toContain('原因：不可抗力');
    const withdrawn = recordCause(supportCase, {
      at: receivedAt,
      actor: alice,
      forceMajeure: false,
      reason: 'no',
    });
    expect(withdrawn.supportCase.forceMajeure).toBeUndefined();
  });
});

describe('the carrier policy options (002 §3.1)', () => {
  it('lets an operator set per-day delay pay and the force-majeure options per carrier (002 §3.1)', () => {
    const overrides = configFields.CARRIER_COMPENSATION_POLICIES.parse(
      JSON.stringify({
        sf: {
          delayPerDay: { amount: 5, currency: 'CNY' },
          forceMajeurePaysDelay: true,
          forceMajeurePaysUninsured: true,
        },
      }),
    );
    const carrier = policyForCarrier('sf', overrides);
    expect(carrier).toMatchObject({ forceMajeurePaysDelay: true, forceMajeurePaysUninsured: true });
    const shipment = { freight: { amount: 18, currency: 'CNY' } };
    const proposal = computeCompensation({ kind: 'delayed', daysLate: 2 }, shipment, carrier, {
      forceMajeure: true,
    });
    expect(proposal.amount.amount).toBe(28);
    expect(() =>
      configFields.CARRIER_COMPENSATION_POLICIES.parse(
        JSON.stringify({ sf: { forceMajeurePaysDelay: 'yes' } }),
      ),
    ).toThrow();
  });
});

describe('technical problems within 72 h (004 §2.4)', () => {
  it('gives a technical problem a 72-hour and a process problem a 48-hour resolution target (004 §2.4)', () => {
    const subject = { type: 'complaint', category: 'service', priority: 'high' } as const;
    expect(clockTargetsFor({ ...subject, problem: 'technical' }).resolution).toEqual({
      unit: 'hours',
      amount: 72,
    });
    expect(clockTargetsFor({ ...subject, problem: 'process' }).resolution).toEqual({
      unit: 'hours',
      amount: 48,
    });
    expect(clockTargetsFor({ ...subject, priority: 'urgent', problem: 'technical' }).resolution.amount).toBe(
      36,
    );
  });

  it('moves the running resolution clock to 72 h from its start when an agent marks the problem technical (004 §2.4)', () => {
    const { supportCase, timeline } = classifyProblem(taken(), {
      at: later(receivedAt, hourMs),
      actor: alice,
      problem: 'technical',
      sla,
    });
    expect(supportCase.problem).toBe('technical');
    expect(supportCase.clocks.resolution?.dueAt).toBe(later(receivedAt, 72 * hourMs).toISOString());
    expect(supportCase.deadlines.resolutionDueAt).toBe(supportCase.clocks.resolution?.dueAt);
    expect(timeline[0]).toMatchObject({ kind: 'problem_classified', internal: true });
    const cleared = classifyProblem(supportCase, {
      at: receivedAt,
      actor: alice,
      problem: null,
      sla,
    }).supportCase;
    expect(cleared.problem).toBeUndefined();
    expect(cleared.clocks.resolution?.target).toEqual(defaultSlaPolicy.resolution.complaint.default);
  });
});

describe('transfers with a deadline (转办时限, 003 §5.2(4))', () => {
  const transferred = () =>
    assignCase(taken(), { at: later(receivedAt, hourMs), actor: alice, team: 'finance', sla }).supportCase;

  it('starts a transfer clock when the case goes to another team (003 §5.2(4))', () => {
    const clock = transferred().clocks.transfer;
    expect(clock).toMatchObject({ state: 'running', target: defaultSlaPolicy.transfer });
    expect(clock?.dueAt).toBe(calendar.countWorkingDays(later(receivedAt, hourMs), 1).end.toISOString());
  });

  it('is met when the receiving team acts: a take, a reply, a note, a plan or a status change (003 §5.2(4))', () => {
    const at = later(receivedAt, 2 * hourMs);
    const actions: ((c: SupportCase) => SupportCase)[] = [
      (c) => assignCase(c, { at, actor: bob, sla }).supportCase,
      (c) => replyToCase(c, { at, actor: bob, message: '已收到', internal: false }).supportCase,
      (c) => replyToCase(c, { at, actor: bob, message: 'checking', internal: true }).supportCase,
      (c) => recordPlan(c, { at, actor: bob, message: '退款', compensationPolicy: policy }).supportCase,
      (c) => changeStatus(c, { at, actor: bob, status: 'awaiting_customer' }).supportCase,
    ];
    for (const act of actions) {
      const start = transferred();
      expect(start.clocks.transfer?.state).toBe('running');
      expect(act(start).clocks.transfer?.state).toBe('met');
    }
  });

  it('breaches in the sweep when nobody in the receiving team acts (003 §5.2(4))', () => {
    const start = transferred();
    const due = new Date(start.clocks.transfer?.dueAt ?? '');
    const decision = enforceClocks(start, { now: due, teamLeads: {} });
    expect(decision?.supportCase.clocks.transfer?.state).toBe('breached');
  });

  it('starts no transfer clock for a hand-over within the team (003 §5.2(4))', () => {
    const handedOver = assignCase(taken(), {
      at: receivedAt,
      actor: alice,
      assignee: 'bob',
      sla,
    }).supportCase;
    expect(handedOver.clocks.transfer).toBeUndefined();
  });
});

describe('the appeal redo within 5 days (邮政业消费者申诉处理办法, DOMAIN.md §4)', () => {
  const answeredAppeal = () => {
    const first = resolveCase(taken(), {
      at: later(receivedAt, hourMs),
      actor: alice,
      resolution: 'x',
      compensationPolicy: policy,
    });
    const appealed = appealCase(
      { ...first.supportCase, version: 5 },
      {
        at: later(receivedAt, 2 * hourMs),
        reason: '不满意',
        sla,
        teamLeads: {},
      },
    ).supportCase;
    return resolveCase(
      { ...appealed, version: 6 },
      {
        at: later(receivedAt, 3 * hourMs),
        actor: sue,
        resolution: '维持原处理',
        compensationPolicy: policy,
      },
    ).supportCase;
  };

  it('sends an answered appeal back for review with a 5-day redo clock, met by the next answer', () => {
    const at = later(receivedAt, 4 * hourMs);
    const { supportCase, timeline } = orderAppealRedo(answeredAppeal(), {
      at,
      actor: sue,
      reason: 'Answer incomplete',
      sla,
    });
    expect(supportCase.status).toBe('appealed');
    expect(supportCase.clocks.appealRedo).toMatchObject({
      state: 'running',
      target: { unit: 'calendarDays', amount: 5 },
    });
    expect(supportCase.clocks.appealRedo?.dueAt).toBe(later(at, 5 * 24 * hourMs).toISOString());
    expect(timeline[0]).toMatchObject({ kind: 'appeal_redo', internal: false });
    const redone = resolveCase(supportCase, {
      at: later(at, hourMs),
      actor: sue,
      resolution: '补偿 50 元',
      compensationPolicy: policy,
    });
    expect(redone.supportCase.clocks.appealRedo?.state).toBe('met');
  });

  it('is a supervisor’s decision, and only for an appeal that was answered', () => {
    expect(() =>
      orderAppealRedo(answeredAppeal(), { at: receivedAt, actor: alice, reason: 'x', sla }),
    ).toThrow(Forbidden);
    const neverAppealed = resolveCase(taken(), {
      at: receivedAt,
      actor: alice,
      resolution: 'x',
      compensationPolicy: policy,
    });
    expect(() =>
      orderAppealRedo(neverAppealed.supportCase, { at: receivedAt, actor: sue, reason: 'x', sla }),
    ).toThrow(InvalidTransition);
  });
});
