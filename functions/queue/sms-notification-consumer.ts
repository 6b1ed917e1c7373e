import { sms } from '#adapters/wiring/sms';
import { notificationConsumer } from './deliver-notifications.ts';

/** Outbox SMS, within the SMS send rate (its trigger is sized to it in infra/catalogue.ts); SMS only. */
export const handler = notificationConsumer('smsNotifications', sms, (ports) => ({
  channel: 'sms',
  sms: ports.sms,
}));
