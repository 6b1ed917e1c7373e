import { describe, expect, it } from 'vitest';
import type { CaseDecision } from '#domain/case/case-decision';
import type { TeamLeads } from '#domain/escalation';
import { meetClock } from '#domain/sla-clock';
import { enforceClocks } from '#domain/sla-enforcement';
import type { SupportCase } from '#domain/support-case';
import { anOpenCase, awaitingCustomer } from '../../support/support-cases.ts';

/** An instant given as Asia/Shanghai wall-clock time, e.g. shanghai('2026-03-02 09:00'). */
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const iso = (local: string): string => shanghai(local).toISOString();

const teamLeads: TeamLeads = {
  branch: { supervisor: 'lead.branch@care.example', manager: 'head.branch@care.example' },
};

/** A complaint about a rude courier received Monday 2 March 2026 09:00: first response due 11:00. */
const complaint = (overrides: Partial<SupportCase> = {}): SupportCase => ({
  ...anOpenCase({ caseId: 'CS2603020001AB', receivedAt: shanghai('2026-03-02 09:00') }),
  ...overrides,
});

const sweepAt = (supportCase: SupportCase, local: string, leads = teamLeads) =>
  enforceClocks(supportCase, { now: shanghai(local), teamLeads: leads });

/** The clocks a decision breached, as its `breached` entries record them (clock, team, due time). */
const breachesOf = (decision: CaseDecision | null) =>
  (decision?.timeline ?? [])
    .filter((entry) => entry.kind === 'breached')
    .map(({ data }) => ({ clock: data?.clock, team: data?.team, dueAt: data?.dueAt }));

describe('before any threshold', () => {
  it('has nothing to do a minute before 80 % of the first-response target', () => {
    expect(sweepAt(complaint(), '2026-03-02 10:35')).toBeNull();
  });
});

describe('at 80 % of a target', () => {
  it('marks the clock at risk and records it on the internal timeline', () => {
    const decision = sweepAt(complaint(), '2026-03-02 10:36');
    expect(decision?.supportCase.clocks.firstResponse).toMatchObject({ state: 'running', atRisk: true });
    expect(decision?.supportCase.clocks.plan?.atRisk).toBe(false);
    expect(decision?.timeline).toEqual([
      expect.objectContaining({
        entryId: `${iso('2026-03-02 10:36')}#at_risk#firstResponse`,
        kind: 'at_risk',
        internal: true,
        actor: 'system',
      }),
    ]);
    expect(breachesOf(decision)).toEqual([]);
  });

  it('reminds the handler by email when someone handles the case', () => {
    const handled = complaint({ handler: 'alice', handlerEmail: 'alice@care.example' });
    const decision = sweepAt(handled, '2026-03-02 10:40');
    expect(decision?.notifications).toEqual([
      expect.objectContaining({
        kind: 'at_risk_reminder',
        channel: 'email',
        audience: 'staff',
        recipient: 'alice@care.example',
        data: expect.objectContaining({ clock: 'firstResponse', dueAt: iso('2026-03-02 11:00') }),
      }),
    ]);
  });

  it("reminds the team's supervisor when nobody handles the case yet", () => {
    const decision = sweepAt(complaint(), '2026-03-02 10:40');
    expect(decision?.notifications.map((notification) => notification.recipient)).toEqual([
      'lead.branch@care.example',
    ]);
  });

  it('still marks the clock at risk when nobody can be reminded', () => {
    const decision = sweepAt(complaint(), '2026-03-02 10:40', {});
    expect(decision?.supportCase.clocks.firstResponse?.atRisk).toBe(true);
    expect(decision?.notifications).toEqual([]);
  });

  it('reminds once, however often the sweep runs', () => {
    const first = sweepAt(complaint(), '2026-03-02 10:36');
    expect(first).not.toBeNull();
    expect(sweepAt(first!.supportCase, '2026-03-02 10:37')).toBeNull();
    expect(sweepAt(first!.supportCase, '2026-03-02 10:59')).toBeNull();
  });
});

describe('at 100 % of a target', () => {
  it('breaches the clock at its due time and escalates the case to a supervisor; the owner stays', () => {
    const atRisk = sweepAt(complaint({ owner: 'alice', handler: 'alice' }), '2026-03-02 10:36')!.supportCase;
    expect(sweepAt(atRisk, '2026-03-02 10:59')).toBeNull();

    const decision = sweepAt(atRisk, '2026-03-02 11:00');
    expect(decision?.supportCase).toMatchObject({ escalationLevel: 1, handler: null, owner: 'alice' });
    expect(decision?.supportCase.clocks.firstResponse).toMatchObject({
      state: 'breached',
      breachedAt: iso('2026-03-02 11:00'),
    });
    expect(decision?.timeline.map((entry) => [entry.kind, entry.entryId, entry.internal])).toEqual([
      ['breached', `${iso('2026-03-02 11:00')}#breached#firstResponse`, true],
      ['escalated', `${iso('2026-03-02 11:00')}#escalated#firstResponse`, true],
    ]);
    expect(breachesOf(decision)).toEqual([
      { clock: 'firstResponse', team: 'branch', dueAt: iso('2026-03-02 11:00') },
    ]);
  });

  it("sends the breach notice to the new level's team lead", () => {
    const decision = sweepAt(complaint(), '2026-03-02 11:05');
    expect(decision?.notifications).toEqual([
      expect.objectContaining({
        kind: 'breach_notice',
        audience: 'staff',
        recipient: 'lead.branch@care.example',
        data: expect.objectContaining({ clock: 'firstResponse', escalationLevel: 1, team: 'branch' }),
      }),
    ]);
  });

  it('breaches without an at-risk reminder when the sweep missed both thresholds', () => {
    const decision = sweepAt(complaint(), '2026-03-02 11:30');
    expect(decision?.timeline.map((entry) => entry.kind)).toEqual(['breached', 'escalated']);
    expect(decision?.notifications.map((notification) => notification.kind)).toEqual(['breach_notice']);
  });

  it('breaches once, however often the sweep runs', () => {
    const breached = sweepAt(complaint(), '2026-03-02 11:00')!.supportCase;
    expect(sweepAt(breached, '2026-03-02 11:01')).toBeNull();
    expect(sweepAt(breached, '2026-03-02 12:00')).toBeNull();
  });

  it('gives two racing sweeps the same ids, so the store keeps only one breach', () => {
    const early = sweepAt(complaint(), '2026-03-02 11:00')!;
    const late = sweepAt(complaint(), '2026-03-02 11:07')!;
    expect(late.timeline.map((entry) => entry.entryId)).toEqual(early.timeline.map((entry) => entry.entryId));
    expect(late.notifications.map((n) => n.notificationId)).toEqual(
      early.notifications.map((n) => n.notificationId),
    );
  });

  it('escalates from supervisor to manager, and tells the manager', () => {
    const decision = sweepAt(complaint({ escalationLevel: 1 }), '2026-03-02 11:00');
    expect(decision?.supportCase.escalationLevel).toBe(2);
    expect(decision?.notifications[0]?.recipient).toBe('head.branch@care.example');
  });

  it('still records the breach and tells the manager when the case is already with a manager', () => {
    const decision = sweepAt(complaint({ escalationLevel: 2 }), '2026-03-02 11:00');
    expect(decision?.supportCase.escalationLevel).toBe(2);
    expect(decision?.timeline.map((entry) => entry.kind)).toEqual(['breached']);
    expect(breachesOf(decision)).toHaveLength(1);
    expect(decision?.notifications).toEqual([
      expect.objectContaining({ kind: 'breach_notice', recipient: 'head.branch@care.example' }),
    ]);
  });

  it('escalates once per breached clock, earliest deadline first, when one sweep finds two', () => {
    // The first-response (11:00) and plan (next day 09:00) deadlines have both passed.
    const decision = sweepAt(complaint(), '2026-03-03 09:30');
    expect(breachesOf(decision).map((breach) => breach.clock)).toEqual(['firstResponse', 'plan']);
    expect(decision?.supportCase.escalationLevel).toBe(2);
    expect(decision?.notifications.map((notification) => notification.recipient)).toEqual([
      'lead.branch@care.example',
      'head.branch@care.example',
    ]);
  });

  it('clears the previous handler, so the next reminder goes to the lead of the new level', () => {
    const handled = complaint({ handler: 'alice', handlerEmail: 'alice@care.example' });
    const breached = sweepAt(handled, '2026-03-02 11:00')!.supportCase;
    const planAtRisk = sweepAt(breached, '2026-03-03 04:12');
    expect(planAtRisk?.notifications).toEqual([
      expect.objectContaining({ kind: 'at_risk_reminder', recipient: 'lead.branch@care.example' }),
    ]);
  });
});

describe('clocks that never act', () => {
  it('does not breach plan or resolution while the case waits for the customer, however long', () => {
    const answered = complaint();
    const replied: SupportCase = {
      ...answered,
      clocks: {
        ...answered.clocks,
        firstResponse: meetClock(answered.clocks.firstResponse!, shanghai('2026-03-02 09:30')),
      },
    };
    const waiting = awaitingCustomer(replied, shanghai('2026-03-02 10:00'));
    expect(sweepAt(waiting, '2026-03-12 10:00')).toBeNull();
  });

  it('leaves met and breached clocks alone', () => {
    const answered = complaint();
    const done: SupportCase = {
      ...answered,
      clocks: {
        firstResponse: meetClock(answered.clocks.firstResponse!, shanghai('2026-03-02 09:30')),
        plan: meetClock(answered.clocks.plan!, shanghai('2026-03-02 10:00')),
        resolution: meetClock(answered.clocks.resolution!, shanghai('2026-03-02 12:00')),
      },
    };
    expect(sweepAt(done, '2026-04-01 00:00')).toBeNull();
  });
});
