import { caseTable } from '#adapters/wiring/case-table';
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
  [caseTable, keyring, queues, policy, objectStore],
  (event, _attempt, deps) => receiveStoredEmail(storedEmailOf(event), deps),
);
