import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { mailer } from '#adapters/wiring/mailer';
import { policy } from '#adapters/wiring/policy';
import { sms } from '#adapters/wiring/sms';
import { notificationMessageSchema } from '#events/queue-messages';
import { deliverAndCountNotification } from '#use-cases/count-incident-notice';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'notifications',
  notificationMessageSchema,
  [caseTable, keyring, mailer, sms, policy],
  (message, attempt, deps) => deliverAndCountNotification(message, attempt, deps),
);
