// The one definition of the case table: keys, indexes and TTL. The CDK stack, the sandbox's
// DynamoDB Local and the stores all read it, so they cannot drift apart.

import { caseListFields } from '../use-cases/ports.ts';

/**
 * What the agent-list index copies of a case: the list row's fields (clocks in their compact stored form)
 * and the `breached` flag it filters on. Never contact details or the token nonce, and a fraction of the
 * item, so every case change writes less to each index.
 */
const caseListProjection = [...caseListFields, 'breached'] as const;

export type KeyAttribute = { name: string; type: 'S' | 'N' };

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** Attributes copied into the index (besides keys); `all` when the index serves whole items. */
  projection: 'all' | 'keys_only' | readonly string[];
}

/**
 * The load the key design is sized for: 1 million cases a day at 10× the average rate, and the write
 * units one case puts on each sharded key family over its life, at most (index writes of a transaction
 * at 1×; `npm run capacity`'s test checks the measured figures stay within these). Report counters: 12
 * updates a lifecycle at 2 units (measured 2026-11-30, when a counted change could also update a team
 * item in the same partition, in a transaction); since 2026-11-30 (session 9) the team counters are on the day's item
 * and a batch is one plain update of its lane's item, so 7 updates at 1 unit. 24 leaves the shard count
 * where 14 had it (64), which readers read. Since the table stream's completer counts changes a batch at a
 * time, that is the load of batches of one: an upper bound. The outbox: 10 since its notification items are no longer put in
 * a transaction (measured 2026-11-30 06:14: a put and a removal for each of the 5 notifications, all at 1×);
 * still 32 shards. Since a notification its writer queues at once is indexed only when the completer finds
 * it unclaimed, a lifecycle writes 2 when sending keeps up (the survey's) and up to 10 behind a backlog:
 * the bound stays.
 */
export const expectedPeak = {
  casesPerSecond: 1_150,
  writeUnitsPerCase: { statusKeys: 13, reportCounters: 24, dueClocks: 7, pendingOutbox: 10 },
} as const;

/** Half of one partition's 1,000 write units a second: room for an uneven hash and growth. */
const writeUnitsPerShard = 500;

/** The shards a key family needs at the expected peak: a power of two, at least 1. */
export function shardsFor(writeUnitsPerSecond: number): number {
  return 2 ** Math.max(0, Math.ceil(Math.log2(writeUnitsPerSecond / writeUnitsPerShard)));
}

/**
 * How many write shards a key family has: new writes use `count`; readers read `count` and every
 * count in `draining` too, until entries written under those are gone (then drop them from the list).
 * A count of 1 is the unsharded key.
 */
export interface ShardCount {
  count: number;
  draining: readonly number[];
}

export interface ShardLayout {
  /** The list index's status keys (`byTeamStatus`). */
  statusKeys: ShardCount;
  /** The daily report counters: one partition per shard. */
  reportCounters: ShardCount;
  dueClocks: ShardCount;
  pendingOutbox: ShardCount;
}

const peakShards = (family: keyof typeof expectedPeak.writeUnitsPerCase) =>
  shardsFor(expectedPeak.casesPerSecond * expectedPeak.writeUnitsPerCase[family]);

export const caseTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  /**
   * The table's change stream: new images, for CaseChangeCompleter (infra/catalogue.ts), which completes a
   * committed case change its writer did not (cases.saveCase commits the case item alone, then writes the
   * change's timeline entries, notifications and counters; the item carries the change until the next).
   */
  stream: 'NEW_IMAGE',
  indexes: {
    /**
     * Agent list: a team's cases by status, most urgent first (priority rank, then nearest deadline). The
     * all-teams list reads every team's keys and merges them (until 2026-11-30 it had an index of its own,
     * `byStatus`, which every status change wrote as much as this one).
     */
    byTeamStatus: {
      indexName: 'byTeamStatus',
      partitionKey: { name: 'teamStatusKey', type: 'S' },
      sortKey: { name: 'urgencyKey', type: 'S' },
      projection: caseListProjection,
    },
    /**
     * Sparse and sharded: only cases with a running clock carry `dueShard`, so the sweep reads
     * what is due, never the whole table, and no single partition takes every write.
     */
    dueClocks: {
      indexName: 'dueClocks',
      partitionKey: { name: 'dueShard', type: 'S' },
      sortKey: { name: 'nextCheckAt', type: 'S' },
      projection: 'keys_only',
    },
    /** Sparse and sharded: notifications not yet delivered, by when they may be sent. */
    pendingOutbox: {
      indexName: 'pendingOutbox',
      partitionKey: { name: 'outboxShard', type: 'S' },
      sortKey: { name: 'dispatchAt', type: 'S' },
      projection: 'keys_only',
    },
    /**
     * Sparse and sharded like dueClocks: a resolved or closed case carries `retentionAt`, when its next
     * lifecycle step is due (close, anonymise, delete), so the retention job reads only what is due.
     */
    retentionDue: {
      indexName: 'retentionDue',
      partitionKey: { name: 'retentionShard', type: 'S' },
      sortKey: { name: 'retentionAt', type: 'S' },
      projection: 'keys_only',
    },
    /**
     * Sparse: cases by waybill (`wb`, stored only on cases that name one), for an incident's fan-out to find
     * the open cases of its waybills. Keys only, so a case change that keeps its waybill writes nothing here.
     */
    byWaybill: {
      indexName: 'byWaybill',
      partitionKey: { name: 'wb', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'keys_only',
    },
  },
  /**
   * Write shards of each hot key family, derived from the expected peak. Before issue 15 status keys
   * were unsharded (1) and the sparse indexes had 8 shards: readers read those until they drain.
   */
  shards: {
    statusKeys: { count: peakShards('statusKeys'), draining: [1] },
    reportCounters: { count: peakShards('reportCounters'), draining: [] },
    dueClocks: { count: peakShards('dueClocks'), draining: [8] },
    pendingOutbox: { count: peakShards('pendingOutbox'), draining: [8] },
  },
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  stream: 'NEW_IMAGE';
  indexes: Record<string, IndexDefinition>;
  shards: ShardLayout;
};

export type CaseTableIndexName = keyof typeof caseTable.indexes;
