// The case store: cases, their timelines and the daily case-number sequence. A state change commits as
// one conditional write of the case item, which carries the change (`chg`: its timeline entries, outbox
// notifications and report counters); the writer then completes it, writing those in one transaction
// whose conditional puts let it succeed once only. The case item's index writes are not doubled by a
// transaction (they were 60 of a lifecycle's 65 index units), and a writer that stops between the two is
// completed from the table's stream (CaseChangeCompleter, completeChange).
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportCase } from '#domain/support-case';
import {
  type CaseStore,
  ChangeNotCompleted,
  type CommittedChange,
  ConcurrentModification,
} from '../use-cases/ports.ts';
import {
  caseItem,
  changeAttribute,
  committedChangeOf,
  encodeChange,
  storedName,
  timelineEntriesOfNotification,
  timelineItem,
  toCase,
  toTimelineEntry,
} from './case-items.ts';
import { caseKey, dailySequenceKey, notificationKey, timelineKey } from './case-keys.ts';
import { type CaseTableClient, isConditionFailure, type TransactItem } from './case-table-client.ts';
import { contactCaseItem } from './contact-registry.ts';
import { putIdempotencyRecord } from './idempotency-store.ts';
import { notificationItem } from './outbox.ts';

/** The stored name of `anonymisedAt` on a case item (case-items.ts). */
const anonymisedAttribute = storedName('anonymisedAt');

const hasCounters = (change: CommittedChange) =>
  Object.values(change.reportCounters?.increments ?? {}).some((value) => value !== 0);

/** Whether the case item must carry the change: for its writer's completion, or for the counters. */
const carriesChange = (change: CommittedChange) =>
  change.timeline.length > 0 || change.notifications.length > 0 || hasCounters(change);

export function dynamoCaseStore(table: CaseTableClient): CaseStore {
  const { client, tableName, put } = table;

  /**
   * Writes the timeline entries and notifications a committed change owes, each only where none is
   * (attribute_not_exists), so writing one twice changes nothing: all but the first at once, then the
   * first, the change's proof. With the proof present the whole change is. (Its report counters are not
   * written here: the table stream's completer counts every change once, in batches.)
   */
  async function writeCompletion(change: CommittedChange, guard: TransactItem[] = []): Promise<void> {
    const [proof, ...others] = [
      ...change.timeline.map((entry) => timelineItem(change.caseId, entry)),
      ...change.notifications.map((intent) =>
        notificationItem(intent, change.at, table.shards.pendingOutbox),
      ),
    ];
    if (!proof) return;
    await Promise.all(others.map(putIfAbsent));
    await table.transact([put(proof, 'attribute_not_exists(pk)'), ...guard]);
  }

  /**
   * An anonymised case keeps no copy of its last change once it is written: that change may carry the
   * erasure confirmation's address, which its notification item drops within days (outbox.ts).
   */
  async function forgetChange(change: CommittedChange): Promise<void> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: caseKey(change.caseId),
          UpdateExpression: 'REMOVE #change',
          ConditionExpression: 'version = :version',
          ExpressionAttributeNames: { '#change': changeAttribute },
          ExpressionAttributeValues: { ':version': change.version },
        }),
      );
    } catch (error) {
      // A later change replaced it already.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async function putIfAbsent(item: Record<string, unknown>): Promise<void> {
    try {
      await client.send(
        new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The key whose item proves a change complete (see writeCompletion), if it owes any item. */
  function proofKey(change: CommittedChange) {
    const [entry] = change.timeline;
    if (entry) return timelineKey(change.caseId, entry.entryId);
    const [notification] = change.notifications;
    if (notification) return notificationKey(change.caseId, notification.notificationId);
    return undefined;
  }

  return {
    async nextDailySequence(day) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: dailySequenceKey(day),
          UpdateExpression: 'ADD #value :one SET expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':expires': Math.floor(Date.parse(day) / 1000) + 3 * 86_400,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.value);
    },

    async createCase(supportCase, timeline, idempotency) {
      await table.transact([
        put(caseItem(supportCase, table.shards), 'attribute_not_exists(pk)'),
        ...timeline.map((entry) => put(timelineItem(supportCase.caseId, entry))),
        ...supportCase.contactHashes.map((hash) => put(contactCaseItem(hash, supportCase))),
        ...(idempotency
          ? [
              putIdempotencyRecord(
                table,
                idempotency.key,
                idempotency.record,
                new Date(supportCase.createdAt),
              ),
            ]
          : []),
      ]);
    },

    async getCase(caseId, options) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: caseKey(caseId),
          ConsistentRead: options?.consistent ?? true,
        }),
      );
      return result.Item ? toCase(result.Item) : null;
    },

    async getCaseWithTimeline(caseId) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).pk },
        ConsistentRead: true,
      });
      const caseRecord = items.find((item) => item.entity === 'case');
      if (!caseRecord) return null;
      const stored = items.filter((item) => item.entity === 'timeline').map(toTimelineEntry);
      // The last change's entries are on the case item from its commit, before its completion writes them.
      const written = new Set(stored.map((entry) => entry.entryId));
      const committed = (committedChangeOf(caseRecord)?.timeline ?? []).filter(
        (entry) => !written.has(entry.entryId),
      );
      const timeline = [
        ...stored,
        ...committed,
        ...items.filter((item) => item.entity === 'notification').flatMap(timelineEntriesOfNotification),
      ];
      return { supportCase: toCase(caseRecord), timeline };
    },

    async getCases(caseIds) {
      const items = await table.batchGet([...new Set(caseIds)].map(caseKey));
      return items.map(toCase);
    },

    async saveCase(supportCase, changes) {
      const saved: SupportCase = { ...supportCase, version: supportCase.version + 1 };
      const change: CommittedChange = {
        caseId: supportCase.caseId,
        version: saved.version,
        at: saved.updatedAt,
        timeline: changes.timeline ?? [],
        notifications: changes.notifications ?? [],
        ...(changes.reportCounters ? { reportCounters: changes.reportCounters } : {}),
      };
      const owes = carriesChange(change);
      // The commit: the case item alone, conditional on the version read (a one-item "transaction" is sent
      // as the single write it equals, and a lost race reports ConcurrentModification).
      await table.transact([
        {
          Put: {
            TableName: tableName,
            Item: {
              ...caseItem(saved, table.shards),
              ...(owes ? { [changeAttribute]: encodeChange(change) } : {}),
            },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': supportCase.version },
          },
        },
      ]);
      if (!owes) return saved;
      try {
        await writeCompletion(change);
      } catch (error) {
        // The completer got there first (it read the committed change before this write): done once.
        if (!(error instanceof ConcurrentModification)) throw new ChangeNotCompleted(saved, error as Error);
      }
      if (saved.anonymisedAt) {
        try {
          await forgetChange(change);
        } catch (error) {
          // The stream's completer forgets it (completeChange).
          throw new ChangeNotCompleted(saved, error as Error);
        }
      }
      return saved;
    },

    async completeChange(change) {
      // Eventually consistent reads: the stream's batching window brings a change here seconds after its
      // commit, and a read that misses a fresh write only leads to a transaction that its conditions refuse.
      const key = proofKey(change);
      if (!key) return 'already_complete';
      const [proof, { Item: current }] = await Promise.all([
        client.send(
          new GetCommand({ TableName: tableName, Key: proofKey(change), ProjectionExpression: 'pk' }),
        ),
        client.send(
          new GetCommand({
            TableName: tableName,
            Key: caseKey(change.caseId),
            ProjectionExpression: 'pk, version, #anonymised',
            ExpressionAttributeNames: { '#anonymised': anonymisedAttribute },
          }),
        ),
      ]);
      const anonymised = current?.[anonymisedAttribute] !== undefined;
      const anonymisingChange = anonymised && current?.version === change.version;
      if (proof.Item) {
        if (anonymisingChange) await forgetChange(change);
        return 'already_complete';
      }
      // Never after a later anonymisation, nor after deletion: what the change carried may be personal
      // data the case no longer holds. (The anonymising change itself is completed: it carries only what
      // the anonymisation decided.) Checked before any write, and again in the proof's transaction.
      if (!current || (anonymised && !anonymisingChange)) return 'already_complete';
      try {
        await writeCompletion(change, [
          {
            ConditionCheck: {
              TableName: tableName,
              Key: caseKey(change.caseId),
              ConditionExpression:
                'attribute_exists(pk) AND (attribute_not_exists(#anonymised) OR version = :version)',
              ExpressionAttributeNames: { '#anonymised': anonymisedAttribute },
              ExpressionAttributeValues: { ':version': change.version },
            },
          },
        ]);
      } catch (error) {
        // The writer completed it meanwhile, or the case was anonymised or deleted.
        if (error instanceof ConcurrentModification) return 'already_complete';
        throw error;
      }
      if (anonymisingChange) await forgetChange(change);
      return 'completed';
    },

    async addTimelineEntry(caseId, entry) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: timelineItem(caseId, entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
