import { mailer } from '#adapters/wiring/mailer';
import { notificationConsumer } from './deliver-notifications.ts';

/** Outbox emails, within the SES send rate (its trigger is sized to it in infra/catalogue.ts); SES only. */
export const handler = notificationConsumer('notifications', mailer, (ports) => ({
  channel: 'email',
  mailer: ports.mailer,
}));
