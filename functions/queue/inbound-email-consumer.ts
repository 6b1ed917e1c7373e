import { caseTable } from '#adapters/wiring/case-table';
import { inboundMail } from '#adapters/wiring/inbound-mail';
import { keyring } from '#adapters/wiring/keyring';
import { queues } from '#adapters/wiring/queues';
import { inboundEmailEventSchema, storedEmailOf } from '#events/inbound-events';
import { receiveStoredEmail } from '#use-cases/receive-email';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'inboundEmail',
  inboundEmailEventSchema,
  [caseTable, keyring, queues, inboundMail],
  (event, _attempt, deps) => receiveStoredEmail(storedEmailOf(event), deps),
);
