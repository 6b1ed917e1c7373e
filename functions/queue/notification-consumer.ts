import { notificationConsumer } from './deliver-notifications.ts';

/** Outbox emails, within the SES send rate (its trigger is sized to it in infra/catalogue.ts). */
export const handler = notificationConsumer('notifications');
