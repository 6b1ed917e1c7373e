// Who hears of a decision, and by which channel. Notification ids derive from the case and the event, so
// the outbox delivers each exactly once however often the decision is written.
import type { customerNotificationKinds, NotificationDetails } from '../notification-templates.ts';
import type { ClockName } from '../sla-policy.ts';
import type { NotificationIntentOf, SupportCase } from '../support-case.ts';

type CustomerNotificationKind = (typeof customerNotificationKinds)[number];

/** The customer-facing notifications for one event: email when we have an address, SMS for phone-only customers. */
export function customerNotifications<K extends CustomerNotificationKind>(
  supportCase: Pick<SupportCase, 'caseId' | 'customer'>,
  kind: K,
  eventKey: string,
  details: NotificationDetails[K],
  dispatchAt: string,
): NotificationIntentOf<K>[] {
  const { customer } = supportCase;
  const channel = customer.email ? 'email' : customer.phone ? 'sms' : null;
  const recipient = channel === 'email' ? customer.email : customer.phone;
  if (!channel || !recipient) return [];
  return [
    {
      notificationId: `${supportCase.caseId}.${eventKey}.${channel}`,
      caseId: supportCase.caseId,
      kind,
      channel,
      audience: 'customer',
      recipient,
      locale: customer.locale,
      // No name: the outbox keeps only what sending needs; delivery greets by the case's current name.
      data: { kind, caseId: supportCase.caseId, ...details },
      dispatchAt,
    },
  ];
}

/** A breach notice to a team lead: by email, in Chinese, the moment the breach is found. */
export function breachNotice(
  supportCase: Pick<SupportCase, 'caseId' | 'subject' | 'team'>,
  context: {
    eventKey: string;
    recipient: string;
    escalationLevel: SupportCase['escalationLevel'];
    clock: ClockName;
    dueAt: string;
    at: string;
  },
): NotificationIntentOf<'breach_notice'> {
  return {
    notificationId: `${supportCase.caseId}.escalated.${context.eventKey}.email`,
    caseId: supportCase.caseId,
    kind: 'breach_notice',
    channel: 'email',
    audience: 'staff',
    recipient: context.recipient,
    locale: 'zh-CN',
    data: {
      kind: 'breach_notice',
      caseId: supportCase.caseId,
      subject: supportCase.subject,
      escalationLevel: context.escalationLevel,
      team: supportCase.team,
      clock: context.clock,
      dueAt: context.dueAt,
    },
    dispatchAt: context.at,
  };
}
