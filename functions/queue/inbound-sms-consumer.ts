import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { inboundSmsEventSchema, inboundSmsOf } from '#events/inbound-events';
import { receiveSms } from '#use-cases/receive-sms';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'inboundSms',
  inboundSmsEventSchema,
  [caseTable, keyring, queues, policy],
  (event, _attempt, deps) => receiveSms(inboundSmsOf(event), deps),
);
