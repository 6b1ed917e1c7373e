// Issue 15: emails and SMS drain from queues of their own, each at its own send rate. Whatever queues
// notifications (a case change, the sweep's re-queue, an incident's fan-out) goes through one publisher,
// which hands each to its channel's queue by the channel its id ends with.
import { describe, expect, it } from 'vitest';
import { channelRoutedPublisher } from '#adapters/notification-queues';
import { customerNotifications } from '#domain/case/notifications';
import { incidentNoticeId } from '#domain/incident';
import { channelOfNotificationId } from '#domain/support-case';

function recording(fail = false) {
  const sent: object[][] = [];
  return {
    sent,
    publisher: {
      send: async (messages: readonly object[]) => {
        if (fail) throw new Error('queue unavailable');
        sent.push([...messages]);
      },
    },
  };
}

describe('the notification queues', () => {
  it('send emails to the email queue and SMS to the SMS queue, in one call each', async () => {
    const email = recording();
    const sms = recording();
    await channelRoutedPublisher({ email: email.publisher, sms: sms.publisher }).send([
      { caseId: 'CS2611110001AB', notificationId: 'CS2611110001AB.acknowledged.email' },
      { caseId: 'CS2611110002AB', notificationId: 'CS2611110002AB.acknowledged.sms' },
      { caseId: 'CS2611110003AB', notificationId: 'CS2611110003AB.resolved.email' },
      { caseId: 'IN2611110001ABCD-x', notificationId: incidentNoticeId('IN2611110001ABCD', 0, 'sms') },
    ]);
    expect(email.sent).toEqual([
      [
        { caseId: 'CS2611110001AB', notificationId: 'CS2611110001AB.acknowledged.email' },
        { caseId: 'CS2611110003AB', notificationId: 'CS2611110003AB.resolved.email' },
      ],
    ]);
    expect(sms.sent).toEqual([
      [
        { caseId: 'CS2611110002AB', notificationId: 'CS2611110002AB.acknowledged.sms' },
        { caseId: 'IN2611110001ABCD-x', notificationId: 'incident.IN2611110001ABCD.r0.sms' },
      ],
    ]);
  });

  it('sends nothing to a queue with no notification of its channel', async () => {
    const email = recording();
    const sms = recording();
    await channelRoutedPublisher({ email: email.publisher, sms: sms.publisher }).send([
      { caseId: 'CS2611110001AB', notificationId: 'CS2611110001AB.acknowledged.email' },
    ]);
    expect(sms.sent).toEqual([]);
    expect(email.sent).toHaveLength(1);
  });

  it('still hands the other channel its notifications when one queue fails, then reports the failure', async () => {
    const email = recording(true);
    const sms = recording();
    await expect(
      channelRoutedPublisher({ email: email.publisher, sms: sms.publisher }).send([
        { caseId: 'CS2611110001AB', notificationId: 'CS2611110001AB.acknowledged.email' },
        { caseId: 'CS2611110002AB', notificationId: 'CS2611110002AB.acknowledged.sms' },
      ]),
    ).rejects.toThrow('queue unavailable');
    expect(sms.sent).toHaveLength(1);
  });

  it('reads the channel of a customer notification from its id, by email or by SMS', () => {
    const customer = { name: 'Li', type: 'individual', tier: 'standard', locale: 'zh-CN' } as const;
    for (const contact of [{ email: 'li@example.com' }, { phone: '+8613800138000' }]) {
      const [intent] = customerNotifications(
        { caseId: 'CS2611110001AB', customer: { ...customer, ...contact } },
        'duplicate_linked',
        'linked',
        { existingCaseId: 'CS2611100001AB' },
        '2026-11-11T02:00:00.000Z',
      );
      expect(intent && channelOfNotificationId(intent.notificationId)).toBe(intent?.channel);
    }
  });

  it('reads the channel every notification id ends with', () => {
    expect(channelOfNotificationId(incidentNoticeId('IN2611110001ABCD', 2, 'email'))).toBe('email');
    expect(channelOfNotificationId(incidentNoticeId('IN2611110001ABCD', 2, 'sms'))).toBe('sms');
    expect(channelOfNotificationId('CS2611110001AB.escalated.e1.email')).toBe('email');
    expect(channelOfNotificationId('CS2611110001AB.at_risk.resolution.20261111T0200Z.email')).toBe('email');
  });
});
