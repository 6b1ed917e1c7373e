// One delivery path for both notification queues (emails on `notifications`, SMS on `smsNotifications`):
// each consumer delivers whatever notification it is handed, by the channel stored on its outbox item, so
// a message on the other channel's queue is still sent exactly once.
import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { mailer } from '#adapters/wiring/mailer';
import { policy } from '#adapters/wiring/policy';
import { sms } from '#adapters/wiring/sms';
import { notificationMessageSchema } from '#events/queue-messages';
import type { QueueName } from '#shared/work-queues';
import { deliverAndCountNotification } from '#use-cases/count-incident-notice';
import { type QueueHandler, sqsConsumer } from '../middleware/sqs-consumer.ts';

export function notificationConsumer(
  queue: Extract<QueueName, 'notifications' | 'smsNotifications'>,
): QueueHandler {
  return sqsConsumer(
    queue,
    notificationMessageSchema,
    [caseTable, keyring, mailer, sms, policy],
    (message, attempt, deps) => deliverAndCountNotification(message, attempt, deps),
  );
}
