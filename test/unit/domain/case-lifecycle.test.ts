import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { addCustomerMessage, appealCase, giveFeedback } from '#domain/case/customer-actions';
import { acceptReceivedCase, isDelayReport } from '#domain/case/intake';
import { type CaseSubmission, registerCase } from '#domain/case/registration';
import {
  assignCase,
  changeStatus,
  closeCase,
  contactViewedEntry,
  correctCategory,
  escalateManually,
  recordPlan,
  replyToCase,
  resolveCase,
} from '#domain/case/staff-actions';
import { defaultCompensationPolicy, policyForCarrier, proposeCompensation } from '#domain/compensation';
import { Conflict, Forbidden, InvalidTransition, ValidationFailed } from '#domain/errors';
import type { StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { aCaseId, anOpenCase } from '../../support/support-cases.ts';

const calendar = chinaBusinessCalendar();
const sla = { calendar };
const policy = defaultCompensationPolicy;

/** An instant given as Asia/Shanghai wall-clock time. */
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const hours = (n: number) => n * 3600_000;
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

const receivedAt = shanghai('2026-03-02 09:00');
const alice: StaffMember = { sub: 'alice', roles: ['agent'], email: 'alice@carrier.example' };
const bob: StaffMember = { sub: 'bob', roles: ['agent'], email: 'bob@carrier.example' };
const sue: StaffMember = { sub: 'sue', roles: ['supervisor'], email: 'sue@carrier.example' };

const openComplaint = (submission: Partial<CaseSubmission> = {}) => anOpenCase({ receivedAt, submission });
const taken = (supportCase = openComplaint(), by = alice) =>
  assignCase(supportCase, { at: later(receivedAt, 600_000), actor: by }).supportCase;
const inProgress = () => ({ ...taken(), version: 3 });
const resolved = (supportCase = inProgress(), at = later(receivedAt, hours(5))) =>
  ({
    ...resolveCase(supportCase, {
      at,
      actor: alice,
      resolution: '已向快递员所在网点核实并致歉',
      compensationPolicy: policy,
    }).supportCase,
    version: supportCase.version + 1,
  }) as SupportCase;

describe('taking and handing over a case', () => {
  it('gives an open case to the agent who takes it: owner and handler, in progress, with their email', () => {
    const { supportCase, timeline } = assignCase(openComplaint(), { at: receivedAt, actor: alice });
    expect(supportCase).toMatchObject({
      status: 'in_progress',
      owner: 'alice',
      handler: 'alice',
      handlerEmail: 'alice@carrier.example',
    });
    expect(timeline.map((entry) => [entry.kind, entry.internal])).toEqual([
      ['assigned', true],
      ['status_changed', false],
    ]);
  });

  it('keeps the first taker as owner when the case is handed over (first-responsibility rule)', () => {
    const handedOver = assignCase(taken(), { at: receivedAt, actor: alice, assignee: 'bob' }).supportCase;
    expect(handedOver).toMatchObject({ owner: 'alice', handler: 'bob', status: 'in_progress' });
    // Bob's email is not known until he acts on the case himself.
    expect(handedOver.handlerEmail).toBeUndefined();
    const transferred = assignCase(handedOver, { at: receivedAt, actor: bob, team: 'finance' }).supportCase;
    expect(transferred).toMatchObject({ owner: 'alice', handler: null, team: 'finance' });
  });

  it('makes the first assignee the owner when a supervisor assigns an open case', () => {
    const { supportCase } = assignCase(openComplaint(), { at: receivedAt, actor: sue, assignee: 'bob' });
    expect(supportCase).toMatchObject({ owner: 'bob', handler: 'bob', status: 'in_progress' });
  });

  it('keeps the status when only the team changes on an open case', () => {
    const { supportCase, timeline } = assignCase(openComplaint(), {
      at: receivedAt,
      actor: alice,
      team: 'operations',
    });
    expect(supportCase).toMatchObject({ status: 'open', team: 'operations', handler: null, owner: null });
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ kind: 'assigned', internal: true, data: { previousTeam: 'branch' } });
  });

  it('changes nothing when the case already sits with that handler', () => {
    const current = taken();
    const decision = assignCase(current, { at: receivedAt, actor: alice });
    expect(decision.supportCase).toBe(current);
    expect(decision.timeline).toEqual([]);
  });

  it.each(['resolved', 'closed', 'received'] as const)('refuses to assign a %s case (409)', (status) => {
    expect(() => assignCase({ ...openComplaint(), status }, { at: receivedAt, actor: alice })).toThrow(
      InvalidTransition,
    );
  });

  it('leaves an appealed case to supervisors; a supervisor taking it starts the review', () => {
    const appealed = appealCase(resolved(), {
      at: later(receivedAt, hours(30)),
      reason: '不满意',
      sla,
      teamLeads: {},
    }).supportCase;
    expect(() => assignCase(appealed, { at: later(receivedAt, hours(31)), actor: alice })).toThrow(Forbidden);
    const review = assignCase(appealed, { at: later(receivedAt, hours(31)), actor: sue }).supportCase;
    expect(review).toMatchObject({ status: 'in_progress', handler: 'sue', owner: 'alice' });
  });
});

describe('replies and internal notes', () => {
  it('meets the first-response clock with the first public reply and tells the customer by email', () => {
    const at = later(receivedAt, hours(1));
    const before = openComplaint();
    const { supportCase, timeline, notifications } = replyToCase(before, {
      at,
      actor: alice,
      message: '您好，我们已联系网点核实。',
      internal: false,
    });
    expect(supportCase.clocks.firstResponse).toMatchObject({ state: 'met', metAt: at.toISOString() });
    // Taking the case comes with the first reply.
    expect(supportCase).toMatchObject({ status: 'in_progress', owner: 'alice', handler: 'alice' });
    expect(timeline.map((entry) => entry.kind)).toEqual(['assigned', 'status_changed', 'reply']);
    expect(notifications).toEqual([
      expect.objectContaining({
        notificationId: `${before.caseId}.reply.v${before.version}.email`,
        kind: 'reply',
        channel: 'email',
        recipient: 'zhangsan@example.com',
        data: expect.objectContaining({ message: '您好，我们已联系网点核实。' }),
      }),
    ]);
  });

  it('records a late first reply as a breach of the first-response clock', () => {
    const at = later(receivedAt, hours(3));
    const { supportCase } = replyToCase(openComplaint(), {
      at,
      actor: alice,
      message: 'Sorry',
      internal: false,
    });
    expect(supportCase.clocks.firstResponse).toMatchObject({ state: 'breached', metAt: at.toISOString() });
  });

  it('texts a customer who gave only a phone', () => {
    const phoneOnly = openComplaint({
      customer: { name: '李四', phone: '+8613800138000', type: 'individual', locale: 'zh-CN' },
    });
    const { notifications } = replyToCase(phoneOnly, {
      at: receivedAt,
      actor: alice,
      message: '您好',
      internal: false,
    });
    expect(notifications).toEqual([expect.objectContaining({ channel: 'sms', recipient: '+8613800138000' })]);
  });

  it('keeps an internal note from the customer and from the first-response clock', () => {
    const before = taken();
    const { supportCase, timeline, notifications } = replyToCase(before, {
      at: later(receivedAt, hours(1)),
      actor: alice,
      message: '网点主管电话已打过',
      internal: true,
    });
    expect(supportCase.clocks.firstResponse?.state).toBe('running');
    expect(timeline).toEqual([expect.objectContaining({ kind: 'note', internal: true })]);
    expect(notifications).toEqual([]);
  });

  it('derives the same ids when the same decision is retried, and new ones for the next version', () => {
    const before = taken();
    const at = later(receivedAt, hours(1));
    const first = replyToCase(before, { at, actor: alice, message: 'A', internal: false });
    const retried = replyToCase(before, { at, actor: alice, message: 'A', internal: false });
    expect(retried.notifications.map((n) => n.notificationId)).toEqual(
      first.notifications.map((n) => n.notificationId),
    );
    expect(retried.timeline.map((e) => e.entryId)).toEqual(first.timeline.map((e) => e.entryId));
    const next = replyToCase(
      { ...first.supportCase, version: before.version + 1 },
      {
        at: later(at, 1000),
        actor: alice,
        message: 'B',
        internal: false,
      },
    );
    expect(next.notifications[0]!.notificationId).not.toBe(first.notifications[0]!.notificationId);
  });

  it.each(['resolved', 'closed'] as const)('refuses a public reply on a %s case (409)', (status) => {
    expect(() =>
      replyToCase({ ...taken(), status }, { at: receivedAt, actor: alice, message: 'x', internal: false }),
    ).toThrow(InvalidTransition);
  });
});

describe('the handling plan', () => {
  it('meets the plan clock and tells the customer the compensation and its rule', () => {
    const at = later(receivedAt, hours(1.5));
    const { supportCase, notifications } = recordPlan(taken(), {
      at,
      actor: alice,
      message: '我们将退还运费',
      compensation: { amount: { amount: 18, currency: 'CNY' }, rule: 'delayed: freight waived' },
      compensationPolicy: policy,
    });
    expect(supportCase.clocks.plan).toMatchObject({ state: 'met' });
    expect(supportCase.clocks.firstResponse).toMatchObject({ state: 'met' });
    expect(supportCase.compensation).toEqual({
      amount: 18,
      currency: 'CNY',
      rule: 'delayed: freight waived',
      approvedBy: null,
    });
    expect(notifications[0]).toMatchObject({
      kind: 'plan',
      data: { compensation: { amount: 18, currency: 'CNY', rule: 'delayed: freight waived' } },
    });
  });

  it('needs a supervisor for an amount above the approval limit', () => {
    const over = { amount: { amount: 800, currency: 'CNY' }, rule: 'agreed amount' };
    const plan = (actor: StaffMember) =>
      recordPlan(taken(), {
        at: receivedAt,
        actor,
        message: '赔偿',
        compensation: over,
        compensationPolicy: policy,
      });
    expect(() => plan(alice)).toThrow(Forbidden);
    expect(plan(sue).supportCase.compensation).toMatchObject({ amount: 800, approvedBy: 'sue' });
  });
});

describe('waiting for the customer', () => {
  it('pauses plan and resolution, never first response, and resumes them when the customer writes', () => {
    const start = taken();
    const waitAt = later(receivedAt, hours(1));
    const waiting = changeStatus(start, { at: waitAt, actor: alice, status: 'awaiting_customer' });
    expect(waiting.supportCase.status).toBe('awaiting_customer');
    expect(waiting.supportCase.clocks.plan?.state).toBe('paused');
    expect(waiting.supportCase.clocks.resolution?.state).toBe('paused');
    expect(waiting.supportCase.clocks.firstResponse?.state).toBe('running');
    expect(waiting.timeline).toEqual([expect.objectContaining({ kind: 'status_changed', internal: false })]);

    const answeredAt = later(waitAt, hours(5));
    const answered = addCustomerMessage(waiting.supportCase, { at: answeredAt, message: '单号没错，请再查' });
    expect(answered.supportCase.status).toBe('in_progress');
    const resolution = answered.supportCase.clocks.resolution!;
    expect(resolution).toMatchObject({ state: 'running', pausedMs: hours(5) });
    expect(Date.parse(resolution.dueAt) - Date.parse(start.clocks.resolution!.dueAt)).toBe(hours(5));
    expect(answered.supportCase.deadlines.resolutionDueAt).toBe(resolution.dueAt);
    expect(answered.timeline.map((entry) => [entry.kind, entry.actor])).toEqual([
      ['customer_message', 'customer'],
      ['status_changed', 'customer'],
    ]);
  });

  it('resumes the clocks when the agent puts the case back in progress', () => {
    const waiting = changeStatus(taken(), { at: receivedAt, actor: alice, status: 'awaiting_customer' });
    const resumed = changeStatus(waiting.supportCase, {
      at: later(receivedAt, hours(2)),
      actor: alice,
      status: 'in_progress',
    });
    expect(resumed.supportCase.clocks.plan).toMatchObject({ state: 'running', pausedMs: hours(2) });
  });

  it('lets the customer add information to an open case without changing its status', () => {
    const { supportCase, timeline } = addCustomerMessage(openComplaint(), {
      at: receivedAt,
      message: '补充',
    });
    expect(supportCase.status).toBe('open');
    expect(timeline.map((entry) => entry.kind)).toEqual(['customer_message']);
  });

  it.each([
    ['open', 'awaiting_customer'],
    ['open', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['resolved', 'awaiting_customer'],
  ] as const)('refuses to move a %s case to %s (409)', (from, to) => {
    expect(() =>
      changeStatus({ ...taken(), status: from }, { at: receivedAt, actor: alice, status: to }),
    ).toThrow(InvalidTransition);
  });

  it.each(['resolved', 'closed'] as const)('refuses a customer message on a %s case (409)', (status) => {
    expect(() => addCustomerMessage({ ...taken(), status }, { at: receivedAt, message: 'x' })).toThrow(
      InvalidTransition,
    );
  });
});

describe('manual escalation', () => {
  it('moves the case one level up, clears the handler and keeps the owner', () => {
    const { supportCase, timeline } = escalateManually(taken(), {
      at: receivedAt,
      actor: alice,
      reason: '客户要求主管处理',
      teamLeads: {},
    });
    expect(supportCase).toMatchObject({ escalationLevel: 1, handler: null, owner: 'alice' });
    expect(supportCase.handlerEmail).toBeUndefined();
    expect(timeline).toEqual([expect.objectContaining({ kind: 'escalated', internal: true })]);
  });

  it('has no level above a manager (409 conflict)', () => {
    expect(() =>
      escalateManually(
        { ...taken(), escalationLevel: 2 },
        { at: receivedAt, actor: alice, reason: 'x', teamLeads: {} },
      ),
    ).toThrow(Conflict);
  });

  it('refuses to escalate a resolved case (409)', () => {
    expect(() =>
      escalateManually(
        { ...taken(), status: 'resolved' },
        { at: receivedAt, actor: alice, reason: 'x', teamLeads: {} },
      ),
    ).toThrow(InvalidTransition);
  });
});

describe('resolving', () => {
  it('meets every clock still running, tells the customer and schedules the survey an hour later', () => {
    const at = later(receivedAt, hours(5));
    const before = inProgress();
    const { supportCase, timeline, notifications } = resolveCase(before, {
      at,
      actor: alice,
      resolution: '已处理',
      compensationPolicy: policy,
    });
    expect(supportCase).toMatchObject({ status: 'resolved', resolvedAt: at.toISOString() });
    for (const name of ['firstResponse', 'plan', 'resolution'] as const) {
      expect(supportCase.clocks[name]?.state).toMatch(/met|breached/);
    }
    expect(supportCase.clocks.resolution?.state).toBe('met');
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'resolved', internal: false, message: '已处理' }),
    ]);
    expect(notifications.map((n) => [n.kind, n.channel, n.dispatchAt])).toEqual([
      ['resolution', 'email', at.toISOString()],
      ['survey', 'email', later(at, hours(1)).toISOString()],
    ]);
    expect(notifications[1]!.notificationId).toBe(`${before.caseId}.survey.v${before.version}.email`);
  });

  it('uses the configured survey delay, and SMS for a phone-only customer', () => {
    const phoneOnly = taken(
      openComplaint({
        customer: { name: '李四', phone: '+8613800138000', type: 'individual', locale: 'zh-CN' },
      }),
    );
    const at = later(receivedAt, hours(5));
    const { notifications } = resolveCase(phoneOnly, {
      at,
      actor: alice,
      resolution: '已处理',
      compensationPolicy: policy,
      surveyDelayMs: hours(24),
    });
    expect(notifications.find((n) => n.kind === 'survey')).toMatchObject({
      channel: 'sms',
      recipient: '+8613800138000',
      dispatchAt: later(at, hours(24)).toISOString(),
    });
  });

  it('refuses 800 CNY from an agent (403) and records the supervisor who approves it', () => {
    const over = { amount: { amount: 800, currency: 'CNY' }, rule: 'agreed amount' };
    const resolveWith = (actor: StaffMember) =>
      resolveCase(inProgress(), {
        at: receivedAt,
        actor,
        resolution: '赔偿',
        compensation: over,
        compensationPolicy: policy,
      });
    expect(() => resolveWith(alice)).toThrow(Forbidden);
    expect(resolveWith(sue).supportCase.compensation).toEqual({
      amount: 800,
      currency: 'CNY',
      rule: 'agreed amount',
      approvedBy: 'sue',
    });
    expect(resolveWith(sue).notifications[0]!.data).toMatchObject({
      compensation: { amount: 800, currency: 'CNY', rule: 'agreed amount' },
    });
  });

  it('lets an agent grant up to the approval limit alone', () => {
    const { supportCase } = resolveCase(inProgress(), {
      at: receivedAt,
      actor: alice,
      resolution: '赔偿',
      compensation: { amount: { amount: 500, currency: 'CNY' }, rule: 'agreed amount' },
      compensationPolicy: policy,
    });
    expect(supportCase.compensation).toMatchObject({ amount: 500, approvedBy: null });
  });

  it('sends no second survey once the customer gave feedback', () => {
    const withFeedback = { ...inProgress(), feedback: { score: 5, at: receivedAt.toISOString() } };
    const { notifications } = resolveCase(withFeedback, {
      at: receivedAt,
      actor: alice,
      resolution: 'x',
      compensationPolicy: policy,
    });
    expect(notifications.map((n) => n.kind)).toEqual(['resolution']);
  });

  it.each(['open', 'resolved', 'closed', 'received'] as const)(
    'refuses to resolve a %s case (409)',
    (status) => {
      expect(() =>
        resolveCase(
          { ...taken(), status },
          { at: receivedAt, actor: alice, resolution: 'x', compensationPolicy: policy },
        ),
      ).toThrow(InvalidTransition);
    },
  );
});

describe('closing', () => {
  it('closes a resolved case', () => {
    const at = later(receivedAt, hours(10));
    const { supportCase, timeline } = closeCase(resolved(), { at, actor: sue });
    expect(supportCase).toMatchObject({ status: 'closed', closedAt: at.toISOString() });
    expect(timeline).toEqual([expect.objectContaining({ kind: 'closed', internal: false })]);
  });

  it.each(['in_progress', 'closed', 'appealed'] as const)('refuses to close a %s case (409)', (status) => {
    expect(() => closeCase({ ...taken(), status }, { at: receivedAt, actor: sue })).toThrow(
      InvalidTransition,
    );
  });
});

describe('feedback', () => {
  it('is recorded once for a resolved case, with CSAT and NPS', () => {
    const at = later(receivedAt, hours(6));
    const { supportCase, timeline } = giveFeedback(resolved(), { at, score: 5, nps: 9, comment: '很满意' });
    expect(supportCase.feedback).toEqual({ score: 5, nps: 9, comment: '很满意', at: at.toISOString() });
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'feedback', actor: 'customer', internal: false }),
    ]);
    expect(() => giveFeedback(supportCase, { at, score: 1 })).toThrow(Conflict);
  });

  it('is accepted for a closed case', () => {
    const closed = closeCase(resolved(), { at: later(receivedAt, hours(6)), actor: sue }).supportCase;
    expect(
      giveFeedback(closed, { at: later(receivedAt, hours(7)), score: 3 }).supportCase.feedback?.score,
    ).toBe(3);
  });

  it.each(['open', 'in_progress', 'awaiting_customer', 'appealed'] as const)(
    'is refused for a case that is %s (409)',
    (status) => {
      expect(() => giveFeedback({ ...taken(), status }, { at: receivedAt, score: 5 })).toThrow(
        InvalidTransition,
      );
    },
  );
});

describe('appeal', () => {
  const appealAt = later(receivedAt, hours(30));

  it('sends a resolved case to a supervisor with a new 15-day deadline', () => {
    const { supportCase, timeline } = appealCase(resolved(), {
      at: appealAt,
      reason: '赔偿太少',
      sla,
      teamLeads: {},
    });
    expect(supportCase).toMatchObject({
      status: 'appealed',
      appealCount: 1,
      escalationLevel: 1,
      handler: null,
      owner: 'alice',
      appealedAt: appealAt.toISOString(),
    });
    expect(supportCase.clocks.appeal).toMatchObject({
      state: 'running',
      startedAt: appealAt.toISOString(),
      dueAt: later(appealAt, 15 * 86_400_000).toISOString(),
    });
    expect(supportCase.deadlines.appealDueAt).toBe(supportCase.clocks.appeal?.dueAt);
    expect(timeline.map((entry) => [entry.kind, entry.internal])).toEqual([
      ['appealed', false],
      ['escalated', true],
    ]);
    expect(new Set(timeline.map((entry) => entry.entryId)).size).toBe(timeline.length);
  });

  it('reopens a closed case within the year', () => {
    const closed = closeCase(resolved(), { at: later(receivedAt, hours(10)), actor: sue }).supportCase;
    const { supportCase } = appealCase(closed, {
      at: later(receivedAt, 300 * 86_400_000),
      reason: 'x',
      sla,
      teamLeads: {},
    });
    expect(supportCase.status).toBe('appealed');
    expect(supportCase.closedAt).toBeUndefined();
  });

  it('is refused more than a year after the resolution (409 conflict)', () => {
    expect(() =>
      appealCase(resolved(), { at: later(receivedAt, 366 * 86_400_000), reason: 'x', sla, teamLeads: {} }),
    ).toThrow(Conflict);
  });

  it.each(['open', 'in_progress', 'awaiting_customer', 'appealed'] as const)(
    'is refused for a case that is %s (409)',
    (status) => {
      expect(() =>
        appealCase({ ...taken(), status }, { at: appealAt, reason: 'x', sla, teamLeads: {} }),
      ).toThrow(InvalidTransition);
    },
  );

  it('escalates one more level when the case is appealed a second time', () => {
    const first = appealCase(resolved(), { at: appealAt, reason: 'x', sla, teamLeads: {} }).supportCase;
    const reviewed = resolveCase(
      { ...first, version: 10 },
      { at: later(appealAt, hours(24)), actor: sue, resolution: '复核维持', compensationPolicy: policy },
    );
    expect(reviewed.supportCase.clocks.appeal?.state).toBe('met');
    const second = appealCase(
      { ...reviewed.supportCase, version: 11 },
      { at: later(appealAt, hours(48)), reason: '仍不满意', sla, teamLeads: {} },
    );
    expect(second.supportCase).toMatchObject({ appealCount: 2, escalationLevel: 2 });
    expect(second.supportCase.clocks.appeal?.state).toBe('running');
    expect(second.timeline.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
  });

  it('puts a case already with a supervisor back in the supervisors’ queue', () => {
    const withSupervisor = resolved({ ...taken(), escalationLevel: 1, handler: 'sue', version: 5 });
    const { supportCase, timeline } = appealCase(withSupervisor, {
      at: appealAt,
      reason: 'x',
      sla,
      teamLeads: {},
    });
    expect(supportCase).toMatchObject({ escalationLevel: 1, handler: null });
    expect(timeline.map((entry) => entry.kind)).toEqual(['appealed', 'assigned']);
  });

  it('is resolved by a supervisor (meeting the appeal clock), never by an agent', () => {
    const appealed = appealCase(resolved(), { at: appealAt, reason: 'x', sla, teamLeads: {} }).supportCase;
    const resolveBy = (actor: StaffMember) =>
      resolveCase(appealed, {
        at: later(appealAt, hours(1)),
        actor,
        resolution: '复核',
        compensationPolicy: policy,
      });
    expect(() => resolveBy(alice)).toThrow(Forbidden);
    expect(resolveBy(sue).supportCase.clocks.appeal?.state).toBe('met');
  });

  it('goes back in progress under the supervisor who starts the review', () => {
    const appealed = appealCase(resolved(), { at: appealAt, reason: 'x', sla, teamLeads: {} }).supportCase;
    expect(() => changeStatus(appealed, { at: appealAt, actor: alice, status: 'in_progress' })).toThrow(
      Forbidden,
    );
    const { supportCase } = changeStatus(appealed, { at: appealAt, actor: sue, status: 'in_progress' });
    expect(supportCase).toMatchObject({ status: 'in_progress', handler: 'sue' });
  });
});

describe('category correction by an agent', () => {
  it('records the agent as the source, routes again and keeps the time the clocks used', () => {
    // A rude-courier complaint (branch, high) that is really about a wrong fee.
    const before = taken();
    const at = later(receivedAt, hours(1));
    const { supportCase, timeline } = correctCategory(before, { at, actor: alice, category: 'billing', sla });
    expect(supportCase).toMatchObject({
      category: 'billing',
      categorySource: 'agent',
      team: 'finance',
      priority: 'normal',
    });
    expect(supportCase.clocks.resolution?.startedAt).toBe(before.clocks.resolution?.startedAt);
    expect(timeline).toEqual([
      expect.objectContaining({
        kind: 'category_corrected',
        internal: true,
        data: expect.objectContaining({ from: 'service', to: 'billing', team: 'finance' }),
      }),
    ]);
  });

  it('halves the running first-response target when the correction makes the case urgent', () => {
    const before = openComplaint({ subject: '投诉', description: '请处理' });
    const { supportCase } = correctCategory(before, {
      at: later(receivedAt, 1800_000),
      actor: alice,
      category: 'privacy',
      sla,
    });
    expect(supportCase.priority).toBe('urgent');
    expect(supportCase.clocks.firstResponse?.dueAt).toBe(later(receivedAt, hours(1)).toISOString());
    expect(supportCase.deadlines.firstResponseDueAt).toBe(later(receivedAt, hours(1)).toISOString());
  });

  it('refuses a category of another type (400)', () => {
    expect(() => correctCategory(taken(), { at: receivedAt, actor: alice, category: 'lost', sla })).toThrow(
      ValidationFailed,
    );
  });
});

describe('contact reads', () => {
  it('are internal timeline entries naming the reader', () => {
    expect(contactViewedEntry(receivedAt, alice)).toMatchObject({
      kind: 'contact_viewed',
      actor: 'alice',
      internal: true,
      entryId: `${receivedAt.toISOString()}#contact_viewed#alice`,
    });
  });
});

describe('compensation proposals', () => {
  const shipment = {
    service: 'standard' as const,
    route: 'inter_province' as const,
    declaredValue: { amount: 800, currency: 'CNY' },
    insured: false,
    freight: { amount: 18, currency: 'CNY' },
  };

  it('prices a situation with the carrier policy and returns the rule that produced it', () => {
    expect(proposeCompensation({ situation: { kind: 'lost' } }, shipment, policy)).toEqual({
      amount: { amount: 54, currency: 'CNY' },
      rule: 'uninsured loss: 3 × freight',
    });
  });

  it('follows a carrier’s own multiple', () => {
    const carrier = policyForCarrier('sf', { sf: { uninsuredLossFreightMultiple: 5 } });
    expect(proposeCompensation({ situation: { kind: 'lost' } }, shipment, carrier)?.rule).toBe(
      'uninsured loss: 5 × freight',
    );
  });

  it('calls an amount the agent gives an agreed amount', () => {
    expect(proposeCompensation({ compensation: { amount: 20, currency: 'CNY' } }, shipment, policy)).toEqual({
      amount: { amount: 20, currency: 'CNY' },
      rule: 'agreed amount',
    });
    expect(proposeCompensation({}, shipment, policy)).toBeUndefined();
  });
});

describe('the delivery-time check at intake', () => {
  // Standard, inter-province, shipped Monday 2 March 2026: committed by the end of 7 working days
  // (Wednesday 11 March), lost after 7 more calendar days (Wednesday 18 March).
  const shipment = {
    service: 'standard' as const,
    route: 'inter_province' as const,
    shippedAt: shanghai('2026-03-02 10:00').toISOString(),
    freight: { amount: 18, currency: 'CNY' },
  };
  const delayReport = (submittedAt: Date, overrides: Partial<CaseSubmission> = {}) => {
    const submission: CaseSubmission = {
      type: 'exception',
      category: 'delayed',
      channel: 'web',
      subject: '包裹迟迟未到',
      description: '一直显示运输中，已经很多天了',
      trackingNumber: 'SF1234567890123',
      customer: { name: '王五', email: 'wangwu@example.com', type: 'individual', locale: 'zh-CN' },
      shipment,
      ...overrides,
    };
    const received = registerCase(submission, {
      caseId: aCaseId(),
      now: submittedAt,
      accessTokenHash: 'h',
      tokenNonce: 'n',
      contactHashes: [],
      sla,
    }).supportCase;
    // Intake makes the delivery check part of accepting the case.
    return acceptReceivedCase(received, { now: submittedAt, sla, duplicateOf: null })!;
  };

  it('notes a report within the commitment without changing the case', () => {
    const decision = delayReport(shanghai('2026-03-05 10:00'));
    expect(decision.supportCase.category).toBe('delayed');
    expect(decision.timeline.at(-1)).toMatchObject({
      kind: 'delivery_checked',
      internal: true,
      data: { verdict: 'within_commitment' },
    });
  });

  it('confirms the delay once past the commitment', () => {
    const decision = delayReport(shanghai('2026-03-13 10:00'));
    expect(decision.supportCase).toMatchObject({ category: 'delayed', priority: 'normal' });
    expect(decision.timeline.at(-1)).toMatchObject({
      kind: 'delivery_checked',
      internal: true,
      data: { verdict: 'delayed', commitmentAt: shanghai('2026-03-12 00:00').toISOString() },
    });
  });

  it('turns a delay past the complete-delay limit into a loss case, re-routed, with its deadlines', () => {
    const submittedAt = shanghai('2026-03-20 10:00');
    const decision = delayReport(submittedAt);
    expect(decision.supportCase).toMatchObject({ category: 'lost', priority: 'high', team: 'operations' });
    // Exception lost: 3 working days (Mon 23 – Wed 25 March) instead of 48 hours.
    expect(decision.supportCase.clocks.resolution?.dueAt).toBe(shanghai('2026-03-26 00:00').toISOString());
    expect(decision.timeline.at(-1)).toMatchObject({ data: { verdict: 'lost', convertedTo: 'lost' } });
    const ack = decision.notifications.find((n) => n.kind === 'acknowledgement');
    expect(ack?.data.deadlines).toEqual(decision.supportCase.deadlines);
  });

  it('treats a delivery complaint about a delay as a delay report, and a lost one as high priority', () => {
    const complaint = delayReport(shanghai('2026-03-20 10:00'), {
      type: 'complaint',
      category: 'delivery',
      subject: '快递延误太久',
    });
    expect(complaint.supportCase).toMatchObject({
      type: 'complaint',
      category: 'delivery',
      priority: 'high',
    });
    expect(complaint.timeline.at(-1)).toMatchObject({ kind: 'delivery_checked', data: { verdict: 'lost' } });
  });

  it('notes when it cannot judge a shipment, and accepts the case all the same', () => {
    const decision = delayReport(shanghai('2026-03-20 10:00'), {
      shipment: { ...shipment, service: 'same_day', route: 'inter_province' },
    });
    expect(decision.supportCase).toMatchObject({ status: 'open', category: 'delayed' });
    expect(decision.timeline.at(-1)).toMatchObject({
      kind: 'delivery_checked',
      internal: true,
      message: 'Delivery check: cannot judge (no commitment for same_day on inter_province)',
      data: { verdict: 'unknown' },
    });
    expect(decision.notifications.map((n) => n.kind)).toContain('acknowledgement');
  });

  it('judges the parcel shipped on 28 December 2025 and acknowledges the report', () => {
    const decision = delayReport(shanghai('2026-01-12 10:00'), {
      shipment: { ...shipment, shippedAt: shanghai('2025-12-28 15:00').toISOString() },
    });
    expect(decision.supportCase.status).toBe('open');
    expect(decision.timeline.map((entry) => entry.kind)).toEqual(['classified', 'delivery_checked']);
    // Dec 29–31, Jan 4 (make-up Sunday), 5–7: committed by the end of Wednesday 7 January 2026.
    expect(decision.timeline.at(-1)).toMatchObject({
      data: { verdict: 'delayed', commitmentAt: shanghai('2026-01-08 00:00').toISOString() },
    });
    expect(decision.timeline.at(-1)?.data).not.toHaveProperty('approximate');
    expect(decision.notifications.map((n) => n.kind)).toContain('acknowledgement');
  });

  it('leaves other reports alone', () => {
    const damaged = delayReport(shanghai('2026-03-20 10:00'), { category: 'damaged', subject: '包裹破损' });
    expect(damaged.timeline.map((entry) => entry.kind)).not.toContain('delivery_checked');
    expect(isDelayReport({ ...damaged.supportCase, category: 'delayed', shipment: undefined })).toBe(false);
    expect(
      isDelayReport({
        type: 'complaint',
        category: 'delivery',
        subject: '快递员把包裹放错了地方',
        description: '送错地址',
        shipment,
      }),
    ).toBe(false);
  });
});
