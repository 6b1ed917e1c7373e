import { committedChangeOfImage, committedChangesOfImages } from '#adapters/case-stream';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { queues } from '#adapters/wiring/queues';
import { reportCounters } from '#adapters/wiring/report-counters';
import { completeCaseChanges, countCaseChanges } from '#use-cases/complete-case-change';
import { streamConsumer } from '../middleware/stream-consumer.ts';

/**
 * The case table's stream, filtered to case items that carry a committed change (infra/catalogue.ts). A
 * record whose change cannot be read fails on its own; the batch's changes are then completed where their
 * writer did not, and their report counters counted, together.
 */
export const handler = streamConsumer(
  'CaseChangeCompleter',
  [caseTable, contactRegistry, reportCounters, queues],
  async (record) => committedChangeOfImage(record.dynamodb?.NewImage),
  async (records, deps) => {
    const changes = committedChangesOfImages(records.map((record) => record.dynamodb?.NewImage));
    await completeCaseChanges(changes, deps);
    await countCaseChanges(changes, deps);
  },
);
