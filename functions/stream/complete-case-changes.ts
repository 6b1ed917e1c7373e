import { committedChangeOfImage, streamedChanges } from '#adapters/case-stream';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { queues } from '#adapters/wiring/queues';
import { reportCounters } from '#adapters/wiring/report-counters';
import { completeCaseChanges, countCaseChanges } from '#use-cases/complete-case-change';
import { laneOf, streamConsumer } from '../middleware/stream-consumer.ts';

/**
 * The case table's stream, filtered to case items that carry a committed change (infra/catalogue.ts). A
 * record whose change cannot be read fails on its own; the batch's report counters are then counted
 * together, under the shard the event names, and its changes completed where their writer did not.
 */
export const handler = streamConsumer(
  'CaseChangeCompleter',
  [caseTable, contactRegistry, reportCounters, queues],
  async (record) => committedChangeOfImage(record.dynamodb?.NewImage),
  async (records, deps, event) => {
    const changes = streamedChanges(records);
    // Counted first: a batch whose completion keeps failing is given up (and can be replayed, see README,
    // "Operating it"), but the shard's later batches move its mark past it, so it must be counted already.
    await countCaseChanges({ lane: laneOf(event), changes }, deps);
    await completeCaseChanges(
      changes.map(({ change }) => change),
      deps,
    );
  },
);
