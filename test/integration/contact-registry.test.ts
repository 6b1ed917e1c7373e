// The contact registry on its own: a contact's cases by time, suppression where the first reason
// stays, and the survey slot that lets one survey per window through, however senders race.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import type { Dependencies } from '#use-cases/ports';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';
import { aReceivedCase } from '../support/support-cases.ts';

const dayMs = 86_400_000;

let deps: Dependencies;
beforeAll(async () => {
  await createIntegrationEnvironment();
  deps = await dependencies();
});

const aContactHash = () => randomBytes(16).toString('base64url');

describe('the cases of a contact', () => {
  it('finds the cases created since a time, once each, by any of the contact hashes', async () => {
    const [phone, email] = [aContactHash(), aContactHash()];
    const now = Date.now();
    const old = aReceivedCase({ receivedAt: new Date(now - 10 * dayMs), contactHashes: [phone] });
    const recent = aReceivedCase({ receivedAt: new Date(now - dayMs), contactHashes: [phone, email] });
    const other = aReceivedCase({ receivedAt: new Date(now - dayMs), contactHashes: [aContactHash()] });
    for (const supportCase of [old, recent, other]) await deps.cases.createCase(supportCase, []);

    const since = new Date(now - 7 * dayMs).toISOString();
    const refs = await deps.contacts.findCasesByContact([phone, phone], since);
    expect(refs).toEqual([
      expect.objectContaining({
        caseId: recent.caseId,
        trackingNumber: recent.trackingNumber,
        createdAt: recent.createdAt,
      }),
    ]);
    expect((await deps.contacts.findCasesByContact([email], since)).map((ref) => ref.caseId)).toEqual([
      recent.caseId,
    ]);
  });
});

describe('suppression', () => {
  it('keeps the first reason a contact was suppressed for', async () => {
    const hash = aContactHash();
    expect(await deps.contacts.getSuppression(hash)).toBeNull();
    const bounce = {
      reason: 'bounce',
      at: '2026-11-20T08:00:00.000Z',
      channel: 'email',
      caseId: 'C1',
    } as const;
    expect(await deps.contacts.suppressContact(hash, bounce)).toBe(true);
    const complaint = { reason: 'complaint', at: '2026-11-21T08:00:00.000Z', channel: 'email' } as const;
    expect(await deps.contacts.suppressContact(hash, complaint)).toBe(false);
    expect(await deps.contacts.getSuppression(hash)).toEqual(bounce);
  });
});

describe('the survey slot', () => {
  const at = '2026-11-20T08:00:00.000Z';
  const reservation = (notificationId: string, notBefore = '2026-10-21T08:00:00.000Z') => ({
    notificationId,
    caseId: notificationId.split('.')[0]!,
    at,
    notBefore,
    expiresAt: Math.floor(Date.parse(at) / 1000) + 30 * 86_400,
  });

  it('lets exactly one of two racing surveys for the same contact through', async () => {
    const hashes = [aContactHash(), aContactHash()];
    const results = await Promise.all(
      ['A.survey.email', 'B.survey.sms'].map((id) => deps.contacts.reserveSurvey(hashes, reservation(id))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('holds the slot for its notification: a retry succeeds, another survey does not', async () => {
    const hash = aContactHash();
    expect(await deps.contacts.reserveSurvey([hash], reservation('A.survey.email'))).toBe(true);
    expect(await deps.contacts.reserveSurvey([hash], reservation('A.survey.email'))).toBe(true);
    expect(await deps.contacts.reserveSurvey([hash], reservation('B.survey.email'))).toBe(false);
  });

  it('refuses the whole reservation when any one contact was surveyed within the window', async () => {
    const [surveyed, fresh] = [aContactHash(), aContactHash()];
    await deps.contacts.reserveSurvey([surveyed], reservation('A.survey.email'));
    expect(await deps.contacts.reserveSurvey([fresh, surveyed], reservation('B.survey.email'))).toBe(false);
    expect(await deps.contacts.reserveSurvey([fresh], reservation('C.survey.email'))).toBe(true);
  });

  it('frees the slot once the window has passed', async () => {
    const hash = aContactHash();
    await deps.contacts.reserveSurvey([hash], reservation('A.survey.email'));
    expect(
      await deps.contacts.reserveSurvey([hash], reservation('B.survey.email', '2026-11-20T08:00:00.001Z')),
    ).toBe(true);
  });

  it('gives the slot back only for the notification that holds it', async () => {
    const hash = aContactHash();
    await deps.contacts.reserveSurvey([hash], reservation('A.survey.email'));
    await deps.contacts.releaseSurveyReservation([hash], 'B.survey.email');
    expect(await deps.contacts.reserveSurvey([hash], reservation('C.survey.email'))).toBe(false);
    await deps.contacts.releaseSurveyReservation([hash], 'A.survey.email');
    expect(await deps.contacts.reserveSurvey([hash], reservation('C.survey.email'))).toBe(true);
  });
});
