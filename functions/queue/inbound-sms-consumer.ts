import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { customerDirectory } from '#adapters/wiring/customer-directory';
import { idempotencyRecords } from '#adapters/wiring/idempotency-records';
import { keyring } from '#adapters/wiring/keyring';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { inboundSmsEventSchema, inboundSmsOf } from '#events/inbound-events';
import { receiveSms } from '#use-cases/receive-sms';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'inboundSms',
  inboundSmsEventSchema,
  [caseTable, contactRegistry, idempotencyRecords, rateLimits, customerDirectory, keyring, queues, policy],
  (event, _attempt, deps) => receiveSms(inboundSmsOf(event), deps),
);
