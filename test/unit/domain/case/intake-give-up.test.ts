import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { acceptReceivedCase, giveUpIntake, maxIntakeRequeues } from '#domain/case/intake';
import { anOpenCase, aReceivedCase } from '../../../support/support-cases.ts';

const receivedAt = new Date('2026-03-02T01:00:00.000Z');
const later = new Date('2026-03-02T01:12:00.000Z');
const sla = { calendar: chinaBusinessCalendar() };

describe('intake giving up on a case', () => {
  it('keeps the case received, marks it for supervisors and says why on the timeline, for staff only', () => {
    const decision = giveUpIntake(aReceivedCase({ receivedAt }), { now: later, requeues: maxIntakeRequeues });
    expect(decision?.supportCase).toMatchObject({
      status: 'received',
      intakeFailedAt: later.toISOString(),
      updatedAt: later.toISOString(),
    });
    expect(decision?.timeline).toEqual([
      expect.objectContaining({
        kind: 'intake_failed',
        actor: 'system',
        internal: true,
        message: 'Intake could not accept the case after 5 re-queues; a supervisor must look at it',
        data: { requeues: 5 },
      }),
    ]);
    expect(decision?.notifications).toEqual([]);
  });

  it('gives up once, and never on a case intake has accepted', () => {
    const gaveUp = giveUpIntake(aReceivedCase({ receivedAt }), { now: later, requeues: 5 })!.supportCase;
    expect(giveUpIntake(gaveUp, { now: later, requeues: 5 })).toBeNull();
    expect(giveUpIntake(anOpenCase({ receivedAt }), { now: later, requeues: 5 })).toBeNull();
  });

  it('still accepts a case it gave up on once the cause is fixed, and clears the mark', () => {
    const gaveUp = giveUpIntake(aReceivedCase({ receivedAt }), { now: later, requeues: 5 })!.supportCase;
    const accepted = acceptReceivedCase(gaveUp, { now: later, sla, duplicateOf: null });
    expect(accepted?.supportCase.status).toBe('open');
    expect(accepted?.supportCase).not.toHaveProperty('intakeFailedAt');
  });
});
