// The one definition of the case table: keys, indexes and TTL. The CDK stack, the sandbox's
// DynamoDB Local and the stores all read it, so they cannot drift apart.

import { caseListFields } from '../use-cases/ports.ts';

/**
 * What the agent-list indexes copy of a case: the list row's fields (clocks in their compact stored form)
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

export const caseTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** Agent list: every case by status, most urgent first (priority rank, then nearest deadline). */
    byStatus: {
      indexName: 'byStatus',
      partitionKey: { name: 'statusKey', type: 'S' },
      sortKey: { name: 'urgencyKey', type: 'S' },
      projection: caseListProjection,
    },
    /** Agent list filtered by team: the same order within one team's status. */
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
  },
  /** Shards of the sparse indexes; the sweep queries each one. */
  shardCount: 8,
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  indexes: Record<string, IndexDefinition>;
  shardCount: number;
};

export type CaseTableIndexName = keyof typeof caseTable.indexes;
