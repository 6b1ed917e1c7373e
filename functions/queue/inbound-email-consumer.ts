import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { customerDirectory } from '#adapters/wiring/customer-directory';
import { idempotencyRecords } from '#adapters/wiring/idempotency-records';
import { inboundMailbox } from '#adapters/wiring/inbound-mailbox';
import { keyring } from '#adapters/wiring/keyring';
import { objectStore } from '#adapters/wiring/object-store';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { inboundEmailEventSchema, storedEmailOf } from '#events/inbound-events';
import { receiveStoredEmail } from '#use-cases/receive-email';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'inboundEmail',
  inboundEmailEventSchema,
  [
    caseTable,
    contactRegistry,
    idempotencyRecords,
    rateLimits,
    customerDirectory,
    attachmentRecords,
    keyring,
    queues,
    policy,
    objectStore,
    inboundMailbox,
  ],
  (event, _attempt, deps) => receiveStoredEmail(storedEmailOf(event), deps),
);
