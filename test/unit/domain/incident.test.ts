// Incidents in the domain (issue 10 Build 7; 002 §3.1: the company tells customers of a delay first):
// who is one recipient, which notice ids repeat, and what linking a case changes.
import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { acceptReceivedCase } from '#domain/case/intake';
import {
  distinctContacts,
  distinctWaybills,
  type IncidentRound,
  incidentNoticeId,
  incidentOfNoticeId,
  linkOpenCase,
  pagesOf,
} from '#domain/incident';
import { renderEmail } from '#domain/notification-templates';
import { anOpenCase, aReceivedCase } from '../../support/support-cases.ts';

const incident = { incidentId: 'IN2611300830ABCD', cause: 'weather' as const };
const round: IncidentRound = {
  round: 0,
  stage: 'declared',
  message: { 'zh-CN': '北京转运中心暂停发运。', en: 'The Beijing hub is closed.' },
  expectedBy: '2026-12-02T10:00:00.000Z',
  actor: { sub: 'max', roles: ['manager'] },
  at: '2026-11-30T00:30:00.000Z',
};

describe('recipients of an incident', () => {
  it('counts the same address or phone listed twice as one recipient, whatever its case', () => {
    const contacts = distinctContacts([
      { trackingNumber: 'sf001', email: 'Li@Example.com', locale: 'zh-CN' },
      { trackingNumber: 'SF002', email: 'li@example.com ', locale: 'en' },
      { trackingNumber: 'SF003', phone: '+8613800138000', locale: 'zh-CN' },
      { trackingNumber: 'SF004', phone: '+8613800138000', locale: 'zh-CN' },
    ]);
    expect(contacts).toHaveLength(2);
    expect(contacts[0]).toMatchObject({ trackingNumber: 'SF001', locale: 'zh-CN' });
  });

  it('names waybills once, upper-case, as duplicates compare them', () => {
    expect(distinctWaybills(['sf1', 'SF1', ' SF2 '])).toEqual(['SF1', 'SF2']);
  });

  it('works 10,000 waybills as 100 pages of 100', () => {
    const pages = pagesOf(Array.from({ length: 10_000 }, (_, n) => n));
    expect(pages).toHaveLength(100);
    expect(pages.every((page) => page.length === 100)).toBe(true);
  });
});

describe('notice ids', () => {
  it('repeat for the same incident, round and channel, so a retried page writes nothing new', () => {
    expect(incidentNoticeId('IN2611300830ABCD', 2, 'sms')).toBe('incident.IN2611300830ABCD.r2.sms');
    expect(incidentOfNoticeId(incidentNoticeId('IN2611300830ABCD', 2, 'sms'))).toBe('IN2611300830ABCD');
  });

  it('are told apart from every other notification', () => {
    expect(incidentOfNoticeId('CS2611230001AB.ack.email')).toBeNull();
  });
});

describe('linking a case', () => {
  it('links an open case once, with a linked entry and the round notice in the same decision', () => {
    const open = anOpenCase();
    const decision = linkOpenCase(open, incident, round, new Date('2026-11-30T00:31:00Z'));
    expect(decision?.supportCase.incidentId).toBe(incident.incidentId);
    expect(decision?.timeline.map((entry) => entry.kind)).toEqual(['linked']);
    expect(decision?.notifications.map((notice) => notice.notificationId)).toEqual([
      'incident.IN2611300830ABCD.r0.email',
    ]);
    expect(linkOpenCase(decision!.supportCase, incident, round, new Date())).toBeNull();
  });

  it('states the cause and the expected date in the acknowledgement of a case linked at intake', () => {
    const received = aReceivedCase();
    const accepted = acceptReceivedCase(received, {
      now: new Date(received.createdAt),
      sla: { calendar: chinaBusinessCalendar() },
      duplicateOf: null,
      incident: { ...incident, expectedBy: round.expectedBy },
    });
    expect(accepted?.supportCase.incidentId).toBe(incident.incidentId);
    expect(accepted?.timeline.some((entry) => entry.kind === 'linked')).toBe(true);
    const ack = accepted?.notifications.find((notice) => notice.kind === 'acknowledgement');
    if (ack?.kind !== 'acknowledgement') throw new Error('No acknowledgement');
    const email = renderEmail('acknowledgement', 'zh-CN', ack.data);
    expect(email.text).toContain('原因：恶劣天气');
    expect(email.text).toContain('预计 2026-12-02 18:00 (北京时间) 前送达');
    expect(renderEmail('acknowledgement', 'en', ack.data).text).toContain(
      'cause: severe weather, incident IN2611300830ABCD',
    );
  });
});
