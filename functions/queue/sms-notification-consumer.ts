import { notificationConsumer } from './deliver-notifications.ts';

/** Outbox SMS, within the SMS send rate (its trigger is sized to it in infra/catalogue.ts). */
export const handler = notificationConsumer('smsNotifications');
