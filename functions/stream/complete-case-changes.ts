import { committedChangeOfImage, committedChangesOfImages } from '#adapters/case-stream';
import { caseTable } from '#adapters/wiring/case-table';
import { queues } from '#adapters/wiring/queues';
import { completeCaseChange, countCaseChanges } from '#use-cases/complete-case-change';
import { streamConsumer } from '../middleware/stream-consumer.ts';

/**
 * The case table's stream, filtered to case items that carry a committed change (infra/catalogue.ts):
 * each change completed if its writer did not, then the batch's report counters counted together.
 */
export const handler = streamConsumer(
  'CaseChangeCompleter',
  [caseTable, queues],
  async (record, deps) => {
    const change = committedChangeOfImage(record.dynamodb?.NewImage);
    if (change) await completeCaseChange(change, deps);
  },
  (records, deps) =>
    countCaseChanges(committedChangesOfImages(records.map((record) => record.dynamodb?.NewImage)), deps),
);
