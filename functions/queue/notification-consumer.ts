import { notificationMessageSchema } from '#events/queue-messages';
import { deliverNotification } from '#use-cases/deliver-notification';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer('notifications', notificationMessageSchema, (message, attempt, deps) =>
  deliverNotification(message, attempt, deps),
);
