// The case store: cases, their timelines and the daily case-number sequence. A state change commits as
// one conditional write of the case item, which carries the change (`chg`: its timeline entries, outbox
// notifications and report counters); the writer then puts the entries and notifications, each only
// where none is, so writing one twice changes nothing. The case item's index writes are not doubled by a
// transaction (they were 60 of a lifecycle's 65 index units). A new case is the same (since 2026-11-30,
// before it was one transaction of up to 4 items): the case item alone, on condition that no case has its
// id, carrying its creation (version 0: the `created` entry), then that entry and the case's contact
// index entries. The table's stream brings every change to CaseChangeCompleter, which writes what a
// stopped writer left (completeChange; a creation's contact entries from the case item itself) and
// counts the report counters in batches (report-counters.ts, countChanges).
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
import { caseKey, dailySequenceKey } from './case-keys.ts';
import {
  type CaseTableClient,
  isConditionFailure,
  type TransactItem,
  tableKeyOf,
  tableKeyText,
} from './case-table-client.ts';
import { contactCaseItem } from './contact-registry.ts';
import { indexForDispatch, notificationItem, waitsOutsideIndex } from './outbox.ts';

/** The stored name of `anonymisedAt` on a case item (case-items.ts). */
const anonymisedAttribute = storedName('anonymisedAt');

const hasCounters = (change: CommittedChange) =>
  Object.values(change.reportCounters?.increments ?? {}).some((value) => value !== 0);

/** Whether the case item must carry the change: for its writer's completion, or for the counters. */
const carriesChange = (change: CommittedChange) =>
  change.timeline.length > 0 ||
  change.notifications.length > 0 ||
  (change.opened?.contactHashes.length ?? 0) > 0 ||
  hasCounters(change);

export function dynamoCaseStore(table: CaseTableClient): CaseStore {
  const { client, tableName, put } = table;

  /**
   * The items a committed change owes after its commit: its timeline entries and notifications, and for a
   * creation the case's contact index entries. Its writer queues the notifications due now right after
   * writing them, so it puts those outside the outbox index (notificationItem, `handedOff`); the completer
   * puts what it writes in the index.
   */
  function owedItems(change: CommittedChange, by: 'writer' | 'completer'): Array<Record<string, unknown>> {
    const { caseId, opened } = change;
    return [
      ...change.timeline.map((entry) => timelineItem(caseId, entry)),
      ...(opened ? opened.contactHashes.map((hash) => contactCaseItem(hash, { ...opened, caseId })) : []),
      ...change.notifications.map((intent) =>
        notificationItem(intent, change.at, table.shards.pendingOutbox, { handedOff: by === 'writer' }),
      ),
    ];
  }

  /**
   * The commit of a change: the case item alone, on `condition` (a lost race is ConcurrentModification and
   * writes nothing), carrying the change when something is owed after it; then its writer's completion
   * (ChangeNotCompleted when that fails: the stream's completer finishes it).
   */
  async function commit(
    saved: SupportCase,
    change: CommittedChange,
    condition: Pick<TransactItem['Put'] & object, 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<void> {
    const owes = carriesChange(change);
    // A one-item "transaction" is sent as the single write it equals.
    await table.transact([
      {
        Put: {
          TableName: tableName,
          Item: {
            ...caseItem(saved, table.shards),
            ...(owes ? { [changeAttribute]: encodeChange(change) } : {}),
          },
          ...condition,
        },
      },
    ]);
    if (!owes) return;
    try {
      await writeOwed(owedItems(change, 'writer'));
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
  }

  /**
   * Writes items a committed change owes, all at once, each only where none is (attribute_not_exists): a
   * second write of one changes nothing, and a notification already claimed or sent is never reset.
   * With `guard`, each goes in a transaction with it (the completer's condition on the case).
   */
  async function writeOwed(
    items: ReadonlyArray<Record<string, unknown>>,
    guard?: TransactItem,
  ): Promise<void> {
    // Every put settles before a failure is reported, so none is still in flight when the caller moves on.
    const outcomes = await Promise.allSettled(
      items.map(async (item) => {
        if (!guard) return putIfAbsent(item);
        try {
          await table.transact([put(item, 'attribute_not_exists(pk)'), guard]);
        } catch (error) {
          if (!(error instanceof ConcurrentModification)) throw error;
        }
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
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

  /** Writes what one committed change still misses (see completeChanges). */
  async function completeOne(
    change: CommittedChange,
    missing: ReadonlyArray<Record<string, unknown>>,
  ): Promise<'completed' | 'already_complete'> {
    // The anonymising change's writer removes it from the case item once written (saveCase); if it
    // stopped before that, this does.
    const forgetIfAnonymising = () => (change.anonymised ? forgetChange(change) : undefined);
    if (missing.length === 0) {
      await forgetIfAnonymising();
      return 'already_complete';
    }
    // Never after a later anonymisation, nor after deletion: what the change carried may be personal
    // data the case no longer holds. (The anonymising change itself is completed: it carries only what
    // the anonymisation decided.) Checked before any write, and again with each write.
    const { Item: current } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: caseKey(change.caseId),
        ProjectionExpression: 'pk, version, #anonymised',
        ExpressionAttributeNames: { '#anonymised': anonymisedAttribute },
      }),
    );
    const anonymisedLater =
      current?.[anonymisedAttribute] !== undefined && current?.version !== change.version;
    if (!current || anonymisedLater) return 'already_complete';
    await writeOwed(missing, {
      ConditionCheck: {
        TableName: tableName,
        Key: caseKey(change.caseId),
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(#anonymised) OR version = :version)',
        ExpressionAttributeNames: { '#anonymised': anonymisedAttribute },
        ExpressionAttributeValues: { ':version': change.version },
      },
    });
    await forgetIfAnonymising();
    return 'completed';
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

    async createCase(supportCase, timeline) {
      const { caseId, version, updatedAt, contactHashes, trackingNumber, createdAt } = supportCase;
      // The creation: its first timeline entry and its contact index entries are owed (no notifications,
      // and no report counters: none counts a case before intake). Readers see the entry from `chg` until
      // it is written (getCaseWithTimeline); a contact's entries, within the stream's batching window.
      await commit(
        supportCase,
        {
          caseId,
          version,
          at: updatedAt,
          timeline,
          notifications: [],
          opened: { contactHashes, ...(trackingNumber ? { trackingNumber } : {}), createdAt },
        },
        { ConditionExpression: 'attribute_not_exists(pk)' },
      );
    },

    async getCase(caseId, options) {
      // Read with whatever else is read at once (table.get): a delivery's case and suppression, one call.
      const item = await table.get(caseKey(caseId), { consistent: options?.consistent ?? true });
      return item ? toCase(item) : null;
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
      // Conditional on the version read.
      await commit(saved, change, {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': supportCase.version },
      });
      return saved;
    },

    async completeChanges(changes) {
      const owed = changes.map((change) => owedItems(change, 'completer'));
      // One read for the whole batch. Eventually consistent: the stream's batching window brings a change
      // here seconds after its commit, and a read that misses a fresh write only leads to a put whose
      // condition refuses it.
      const found = await table.batchGet(owed.flat().map(tableKeyOf));
      const written = new Set(found.map(tableKeyText));
      // A notification its writer handed off that nobody has claimed yet: its message may be lost, so it
      // goes in the outbox index, where the dispatch job finds it.
      const indexed = new Set<string>();
      await Promise.all(
        found.filter(waitsOutsideIndex).map(async (item) => {
          const ref = { caseId: String(item.caseId), notificationId: String(item.notificationId) };
          if (await indexForDispatch(table, ref, 'pending')) indexed.add(tableKeyText(item));
        }),
      );
      return Promise.all(
        changes.map(async (change, n) => {
          const items = owed[n] ?? [];
          const outcome = await completeOne(
            change,
            items.filter((item) => !written.has(tableKeyText(item))),
          );
          const waits = items.some((item) => indexed.has(tableKeyText(item)));
          return outcome === 'already_complete' && waits ? 'pending_indexed' : outcome;
        }),
      );
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
