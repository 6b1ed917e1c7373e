import { caseTable } from '#adapters/wiring/case-table';
import { incidentStore } from '#adapters/wiring/incident-store';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { incidentFanoutMessageSchema } from '#events/queue-messages';
import { workIncidentPage } from '#use-cases/fan-out-incident';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'incidentFanout',
  incidentFanoutMessageSchema,
  [caseTable, incidentStore, queues, policy],
  (message, _attempt, deps) => workIncidentPage(message, deps),
);
