import { committedChangeOfImage } from '#adapters/case-stream';
import { caseTable } from '#adapters/wiring/case-table';
import { queues } from '#adapters/wiring/queues';
import { completeCaseChange } from '#use-cases/complete-case-change';
import { streamConsumer } from '../middleware/stream-consumer.ts';

/** The case table's stream, filtered to case items that carry a committed change (infra/catalogue.ts). */
export const handler = streamConsumer('CaseChangeCompleter', [caseTable, queues], async (record, deps) => {
  const change = committedChangeOfImage(record.dynamodb?.NewImage);
  if (change) await completeCaseChange(change, deps);
});
