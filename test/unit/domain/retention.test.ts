import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { appealCase } from '#domain/case/customer-actions';
import { assignCase, resolveCase } from '#domain/case/staff-actions';
import { reportIncrements } from '#domain/case-report';
import { policyForCarrier } from '#domain/compensation';
import {
  addYears,
  anonymiseCase,
  closeQuietCase,
  dueRetentionStep,
  maskTimelineEntry,
  nextRetentionStep,
  retentionCutoffs,
  withdrawCase,
} from '#domain/retention';
import type { StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { anOpenCase } from '../../support/support-cases.ts';

const alice: StaffMember = { sub: 'sue', roles: ['supervisor'], email: 'sue@carrier.example' };
const receivedAt = new Date('2026-03-02T02:00:00.000Z');
const resolvedAt = new Date('2026-03-03T02:00:00.000Z');
const day = 86_400_000;
const at = (ms: number) => new Date(ms);

function aResolvedCase(overrides: Partial<SupportCase> = {}): SupportCase {
  const open = { ...anOpenCase({ receivedAt, contactHashes: ['hash-email'] }), ...overrides };
  const taken = assignCase(open, { at: receivedAt, actor: alice }).supportCase;
  return resolveCase(taken, {
    at: resolvedAt,
    actor: alice,
    resolution: '已联系网点，电话 13800138000 已回访',
    compensation: { amount: { amount: 30, currency: 'CNY' }, rule: 'goodwill' },
    compensationPolicy: policyForCarrier('default', {}),
  }).supportCase;
}

describe('when the next lifecycle step is due (clock passed in)', () => {
  it('closes a resolved case 7 days after its last change, not a millisecond before', () => {
    const resolved = aResolvedCase();
    expect(nextRetentionStep(resolved)).toEqual({
      step: 'close',
      since: resolvedAt.toISOString(),
      dueAt: '2026-03-10T02:00:00.000Z',
    });
    expect(dueRetentionStep(resolved, at(resolvedAt.getTime() + 7 * day - 1))).toBeUndefined();
    expect(dueRetentionStep(resolved, at(resolvedAt.getTime() + 7 * day))).toBe('close');
  });

  it("reads each step's window from the policy: the cutoffs are now minus each window", () => {
    const now = new Date('2027-03-10T02:00:00.000Z');
    expect(
      retentionCutoffs(now, { quietPeriodDays: 3, anonymiseAfterYears: 1, deleteAfterYears: 5 }),
    ).toEqual({
      close: '2027-03-07T02:00:00.000Z',
      anonymise: '2026-03-10T02:00:00.000Z',
      delete: '2022-03-10T02:00:00.000Z',
    });
    const resolved = aResolvedCase();
    const shortQuiet = { quietPeriodDays: 3, anonymiseAfterYears: 1, deleteAfterYears: 5 };
    expect(dueRetentionStep(resolved, at(resolvedAt.getTime() + 3 * day), shortQuiet)).toBe('close');
  });

  it('anonymises one calendar year after the close and deletes five years after it', () => {
    const closed = closeQuietCase(aResolvedCase(), new Date('2026-03-10T02:00:00.000Z')).supportCase;
    expect(nextRetentionStep(closed)).toEqual({
      step: 'anonymise',
      since: '2026-03-10T02:00:00.000Z',
      dueAt: '2027-03-10T02:00:00.000Z',
    });
    expect(dueRetentionStep(closed, new Date('2027-03-10T01:59:59.999Z'))).toBeUndefined();
    expect(dueRetentionStep(closed, new Date('2027-03-10T02:00:00.000Z'))).toBe('anonymise');
    const anonymised = anonymiseCase(closed, new Date('2027-03-10T02:00:00.000Z'), 'retention').supportCase;
    expect(nextRetentionStep(anonymised)).toEqual({
      step: 'delete',
      since: '2026-03-10T02:00:00.000Z',
      dueAt: '2031-03-10T02:00:00.000Z',
    });
    expect(dueRetentionStep(anonymised, new Date('2031-03-10T01:59:59.999Z'))).toBeUndefined();
    expect(dueRetentionStep(anonymised, new Date('2031-03-10T02:00:00.000Z'))).toBe('delete');
  });

  it('counts years on the calendar: 29 February moves to 1 March', () => {
    expect(addYears('2028-02-29T10:00:00.000Z', 1)).toBe('2029-03-01T10:00:00.000Z');
    expect(addYears('2026-11-30T00:00:00.000Z', 5)).toBe('2031-11-30T00:00:00.000Z');
  });

  it('has no step for a case still being worked on, or appealed again', () => {
    expect(nextRetentionStep(anOpenCase({ receivedAt }))).toBeUndefined();
    const closed = closeQuietCase(aResolvedCase(), new Date('2026-03-10T02:00:00.000Z')).supportCase;
    const appealed = appealCase(closed, {
      at: new Date('2026-04-01T00:00:00.000Z'),
      reason: '赔偿太少',
      sla: { calendar: chinaBusinessCalendar() },
      teamLeads: {},
    }).supportCase;
    expect(appealed.status).toBe('appealed');
    expect(nextRetentionStep(appealed)).toBeUndefined();
  });

  it('starts the quiet period again with any later change of the resolved case', () => {
    const resolved = aResolvedCase();
    const changed = { ...resolved, updatedAt: '2026-03-08T00:00:00.000Z' };
    expect(nextRetentionStep(changed)?.dueAt).toBe('2026-03-15T00:00:00.000Z');
  });
});

describe('closing, withdrawing and anonymising', () => {
  it('closes a quiet case by system, on the customer timeline', () => {
    const decision = closeQuietCase(aResolvedCase(), new Date('2026-03-10T02:00:00.000Z'));
    expect(decision.supportCase).toMatchObject({ status: 'closed', closedAt: '2026-03-10T02:00:00.000Z' });
    expect(decision.timeline).toEqual([
      expect.objectContaining({ kind: 'closed', actor: 'system', internal: false }),
    ]);
  });

  it('withdraws an open case as resolved by the customer, its clocks stopped', () => {
    const decision = withdrawCase(anOpenCase({ receivedAt }), resolvedAt);
    expect(decision.supportCase.status).toBe('resolved');
    const states = Object.values(decision.supportCase.clocks).map((clock) => clock?.state);
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((state) => state === 'running' || state === 'paused')).toEqual([]);
    expect(decision.timeline[0]).toMatchObject({
      kind: 'resolved',
      actor: 'customer',
      data: { reason: 'withdrawn_by_customer' },
    });
  });

  it('leaves a resolved case as it is when withdrawn', () => {
    const resolved = aResolvedCase();
    expect(withdrawCase(resolved, resolvedAt)).toEqual({
      supportCase: resolved,
      timeline: [],
      notifications: [],
    });
  });

  it('removes every contact detail and masks free text, keeping what reports count', () => {
    const resolved = aResolvedCase({
      description: '我的电话是 138 0013 8000，邮箱 zhangsan@example.com',
    } as Partial<SupportCase>);
    const withFeedback: SupportCase = {
      ...resolved,
      feedback: { score: 4, nps: 9, comment: '请回电 13912345678', at: resolvedAt.toISOString() },
    };
    const { supportCase: anonymised, timeline } = anonymiseCase(
      withFeedback,
      at(resolvedAt.getTime() + day),
      'erasure',
    );
    const stored = JSON.stringify(anonymised);
    for (const secret of [
      '张三',
      'zhangsan',
      '13800138000',
      '138 0013 8000',
      '13912345678',
      'hash-email',
      'SF1234567890123',
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(anonymised).toMatchObject({
      caseId: withFeedback.caseId,
      category: withFeedback.category,
      status: 'resolved',
      compensation: withFeedback.compensation,
      feedback: { score: 4, nps: 9 },
      clocks: withFeedback.clocks,
      createdAt: withFeedback.createdAt,
      resolvedAt: withFeedback.resolvedAt,
      accessTokenHash: '',
    });
    expect(reportIncrements(withFeedback, anonymised)).toEqual({});
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'anonymised', actor: 'system', data: { reason: 'erasure' } }),
    ]);
  });

  it('masks a timeline entry message and data, keeping who acted', () => {
    const masked = maskTimelineEntry({
      entryId: '2026-03-03T02:00:00.000Z#0001',
      at: '2026-03-03T02:00:00.000Z',
      kind: 'customer_message',
      actor: 'customer',
      message: 'call me on +86 139 1234 5678',
      internal: false,
      data: { note: { email: 'li@example.cn' }, count: 2 },
    });
    expect(masked).toMatchObject({
      actor: 'customer',
      message: 'call me on 139****5678',
      data: { note: { email: 'l***@example.cn' }, count: 2 },
    });
  });
});
