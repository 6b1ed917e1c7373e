import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { keyring } from '#adapters/wiring/keyring';
import { emailFeedbackOf, sesEmailEventSchema } from '#events/email-events';
import { recordEmailEvent } from '#use-cases/record-email-event';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'emailEvents',
  sesEmailEventSchema,
  [caseTable, contactRegistry, keyring],
  (event, _attempt, deps) => recordEmailEvent(emailFeedbackOf(event), deps),
);
