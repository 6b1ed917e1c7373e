import { caseTable } from '#adapters/wiring/case-table';
import { inboundMailbox } from '#adapters/wiring/inbound-mailbox';
import { keyring } from '#adapters/wiring/keyring';
import { objectStore } from '#adapters/wiring/object-store';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { inboundEmailEventSchema, storedEmailOf } from '#events/inbound-events';
import { receiveStoredEmail } from '#use-cases/receive-email';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'inboundEmail',
  inboundEmailEventSchema,
  [caseTable, keyring, queues, policy, objectStore, inboundMailbox],
  (event, _attempt, deps) => receiveStoredEmail(storedEmailOf(event), deps),
);
