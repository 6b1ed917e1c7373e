import { sesEmailEventSchema } from '#events/email-events';
import { recordEmailEvent } from '#use-cases/record-email-event';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer('emailEvents', sesEmailEventSchema, (event, _record, deps) =>
  recordEmailEvent(event, deps),
);
