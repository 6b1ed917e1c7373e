import { caseTable } from '#adapters/wiring/case-table';
import { customerDirectory } from '#adapters/wiring/customer-directory';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { slaWorkMessageSchema } from '#events/queue-messages';
import { applyCustomerTierToCase } from '#use-cases/apply-customer-tier';
import { enforceDeadlines } from '#use-cases/enforce-deadlines';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'slaWork',
  slaWorkMessageSchema,
  [caseTable, customerDirectory, queues, policy],
  (message, _attempt, deps) =>
    message.retier ? applyCustomerTierToCase(message.caseId, deps) : enforceDeadlines(message.caseId, deps),
);
