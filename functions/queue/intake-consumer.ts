import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { incidentStore } from '#adapters/wiring/incident-store';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { intakeMessageSchema } from '#events/queue-messages';
import { acceptCase } from '#use-cases/accept-case';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'intake',
  intakeMessageSchema,
  [caseTable, contactRegistry, incidentStore, queues, policy],
  (message, _attempt, deps) => acceptCase(message.caseId, deps),
);
