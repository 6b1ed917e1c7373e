import { describe, expect, it } from 'vitest';
import { CaseDecisionBuilder, unchanged } from '#domain/case/case-decision';
import { anOpenCase } from '../../../support/support-cases.ts';

const at = new Date('2026-03-02T01:00:00.000Z');
const note = (message: string) => ({ kind: 'note' as const, actor: 'alice', message, internal: true });

describe('the timeline of a decision', () => {
  it('numbers entries in the order they are added, at the decision time', () => {
    const decision = new CaseDecisionBuilder(at);
    decision.add(note('first'));
    decision.add({ ...note('second'), data: { reason: 'x' } });
    expect(decision.timeline).toEqual([
      { entryId: '2026-03-02T01:00:00.000Z#0001', at: at.toISOString(), ...note('first') },
      {
        entryId: '2026-03-02T01:00:00.000Z#0002',
        at: at.toISOString(),
        ...note('second'),
        data: { reason: 'x' },
      },
    ]);
  });

  it('gives the same ids to the same decision made again', () => {
    const ids = () => {
      const decision = new CaseDecisionBuilder(at);
      for (const message of ['a', 'b', 'c']) decision.add(note(message));
      return decision.timeline.map((entry) => entry.entryId);
    };
    expect(ids()).toEqual(ids());
  });

  it('starts where it is told, so intake follows the entry registration wrote at the same instant', () => {
    const registration = new CaseDecisionBuilder(at, { firstSequence: 0 });
    const intake = new CaseDecisionBuilder(at, { firstSequence: 1 });
    const ids = [registration.add(note('created')), intake.add(note('classified'))].map((e) => e.entryId);
    expect(new Set(ids).size).toBe(2);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keys an entry by its own time when the fact, not the decision, must name it', () => {
    const decision = new CaseDecisionBuilder(at);
    const entry = decision.addKeyed({ at: '2026-03-02T03:00:00.000Z', key: 'breached#plan' }, note('late'));
    expect(entry).toMatchObject({
      entryId: '2026-03-02T03:00:00.000Z#breached#plan',
      at: '2026-03-02T03:00:00.000Z',
    });
  });

  it('never holds one id twice', () => {
    const decision = new CaseDecisionBuilder(at);
    const id = { at: at.toISOString(), key: 'breached#plan' };
    decision.addKeyed(id, note('once'));
    expect(() => decision.addKeyed(id, note('twice'))).toThrow(RangeError);
    for (let n = 0; n < 50; n += 1) decision.add(note(String(n)));
    expect(new Set(decision.timeline.map((entry) => entry.entryId)).size).toBe(decision.timeline.length);
  });

  it('leaves out data that is not there, rather than writing it empty', () => {
    const entry = new CaseDecisionBuilder(at).add({ ...note('x'), data: undefined });
    expect(entry).not.toHaveProperty('data');
  });
});

describe('the decision', () => {
  it('carries the case, the timeline and the notifications to write together', () => {
    const supportCase = anOpenCase();
    const decision = new CaseDecisionBuilder(at);
    decision.add(note('x'));
    const made = decision.decide(supportCase);
    expect(made.supportCase).toBe(supportCase);
    expect(made.timeline).toHaveLength(1);
    expect(made.notifications).toEqual([]);
  });

  it('changes nothing when unchanged', () => {
    const supportCase = anOpenCase();
    expect(unchanged(supportCase)).toEqual({ supportCase, timeline: [], notifications: [] });
  });
});
