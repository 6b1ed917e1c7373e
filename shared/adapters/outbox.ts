// The outbox: notification items under their case, written with the case change that made them, then
// claimed under a lease by one sender at a time, and released or completed with a timeline entry, each by
// one conditional write on the notification item.
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { isContactOwnerId } from '#domain/incident';
import type { NotificationIntent, TimelineEntry } from '#domain/support-case';
import { ConcurrentModification, type Outbox, type StoredNotification } from '../use-cases/ports.ts';
import { notificationEntryAttribute } from './case-items.ts';
import { notificationKey, notificationRefOfKey, shardOf } from './case-keys.ts';
import { caseTable, type ShardCount } from './case-table.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';
import { inParallel } from './in-parallel.ts';

/**
 * How long a settled notice to an incident's contact without a case stays, then TTL removes it. A case's
 * settled notifications stay with the case: their outcome entries are on its timeline.
 */
export const settledNotificationDays = 30;
/** An erasure confirmation is the only copy of an erased address: it goes within days, sent or not. */
export const erasureConfirmationDays = 7;
const dayMs = 86_400_000;
/** Index removals the dispatch job makes at once. */
const handOverConcurrency = 16;
const ttlAfter = (at: string, days: number) => Math.floor((Date.parse(at) + days * dayMs) / 1000);

/**
 * A new, pending notification. It is in the sparse outbox index (`outboxShard`), where the dispatch job
 * finds it when it is due, unless `handedOff`: a case change's writer puts a notification due now outside
 * the index, because it queues it at once, and the table stream's completer indexes it if it finds it
 * still pending (indexForDispatch). The index then holds what waits (surveys, held SMS, lost
 * hand-offs), not every notification for the seconds it takes to send: two index writes fewer for each.
 */
export function notificationItem(
  intent: NotificationIntent,
  createdAt: string,
  shards: ShardCount = caseTable.shards.pendingOutbox,
  options: { handedOff?: boolean } = {},
): Record<string, unknown> {
  const handedOff = options.handedOff === true && intent.dispatchAt <= createdAt;
  return {
    ...notificationKey(intent.caseId, intent.notificationId),
    entity: 'notification',
    ...intent,
    status: 'pending',
    attempts: 0,
    createdAt,
    ...(handedOff ? {} : { outboxShard: shardOf(intent.notificationId, shards) }),
    ...(intent.kind === 'erasure_confirmation'
      ? { [caseTable.timeToLiveAttribute]: ttlAfter(createdAt, erasureConfirmationDays) }
      : {}),
  };
}

/** Whether a stored notification item waits outside the outbox index: put by its writer, not yet claimed. */
export const waitsOutsideIndex = (item: Record<string, unknown>): boolean =>
  item.entity === 'notification' &&
  item.status === 'pending' &&
  item.outboxShard === undefined &&
  item.recipient !== undefined;

/**
 * Puts a notification in the outbox index if it is in `status` and not there yet; true when it was put.
 * `pending` (with a recipient): one its writer handed to the queue, still unclaimed when the table stream's
 * completer looks (its message lost, or waiting behind a backlog); nothing if it was claimed, settled or
 * masked (no recipient) meanwhile. `sending`: one a sender claimed and never settled, found by the last
 * receive of a message that could not claim it; the dispatch job queues it again once the lease ran out.
 */
export async function indexForDispatch(
  table: CaseTableClient,
  ref: { caseId: string; notificationId: string },
  status: 'pending' | 'sending',
): Promise<boolean> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: notificationKey(ref.caseId, ref.notificationId),
        UpdateExpression: 'SET outboxShard = :shard',
        ConditionExpression: `#status = :status AND attribute_not_exists(outboxShard)${
          status === 'pending' ? ' AND attribute_exists(recipient)' : ''
        }`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':shard': shardOf(ref.notificationId, table.shards.pendingOutbox),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function toNotification(item: Record<string, unknown>): StoredNotification {
  const { pk: _pk, sk: _sk, entity: _entity, outboxShard: _shard, ...notification } = item;
  for (const name of Object.keys(notification)) {
    if (name.startsWith(notificationEntryAttribute(''))) delete notification[name];
  }
  return notification as unknown as StoredNotification;
}

/** The update clause that stores an outcome's timeline entry on the notification item, if there is one. */
function outcomeEntry(timeline: TimelineEntry | undefined): {
  set: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  if (!timeline) return { set: '', names: {}, values: {} };
  return {
    set: ', #entry = :entry',
    names: { '#entry': notificationEntryAttribute(timeline.kind) },
    values: { ':entry': timeline },
  };
}

export function dynamoOutbox(table: CaseTableClient): Outbox {
  const { client, tableName } = table;
  /**
   * One conditional write settles a notification: its outcome's timeline entry is an attribute of the
   * notification item itself (the case's timeline reads it from there), so no transaction is needed.
   */
  async function conditionalUpdate(update: Omit<UpdateCommandInput, 'TableName'>): Promise<void> {
    try {
      await client.send(new UpdateCommand({ ...update, TableName: tableName }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentModification('A conditional write failed');
      throw error;
    }
  }

  return {
    async getNotification(caseId, notificationId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: notificationKey(caseId, notificationId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toNotification(result.Item) : null;
    },

    async claimNotification(caseId, notificationId, now, leaseMs, channel) {
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: notificationKey(caseId, notificationId),
            UpdateExpression: 'SET #status = :sending, leaseUntil = :lease ADD attempts :one',
            // A pending notification only once it is due; a failed one after a DLQ redrive; a sending one
            // only when its holder's lease ran out (the holder crashed). Only by a sender of its channel.
            ConditionExpression:
              'attribute_exists(pk) AND #channel = :channel AND ((#status = :pending AND dispatchAt <= :now) OR #status = :failed OR (#status = :sending AND leaseUntil < :now))',
            ExpressionAttributeNames: { '#status': 'status', '#channel': 'channel' },
            ExpressionAttributeValues: {
              ':channel': channel,
              ':sending': 'sending',
              ':pending': 'pending',
              ':failed': 'failed',
              ':now': now.toISOString(),
              ':lease': new Date(now.getTime() + leaseMs).toISOString(),
              ':one': 1,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toNotification(result.Attributes ?? {});
      } catch (error) {
        if (isConditionFailure(error)) throw new ConcurrentModification('The notification is not claimable');
        throw error;
      }
    },

    async releaseNotification(caseId, notificationId, outcome, timeline) {
      // Held for later: back in the outbox index, where the dispatch job finds it when it is due. Failed
      // sends: out of the index, since the queue message that failed retries it with backoff (a sweep
      // re-queuing it every minute would defeat the backoff and multiply messages during an outage).
      const entry = outcomeEntry(timeline);
      await conditionalUpdate({
        Key: notificationKey(caseId, notificationId),
        UpdateExpression: `${
          outcome.failed
            ? 'SET #status = :failed, lastError = :error'
            : outcome.dispatchAt
              ? 'SET #status = :pending, lastError = :error, dispatchAt = :dispatchAt, outboxShard = :shard'
              : 'SET #status = :pending, lastError = :error'
        }${entry.set} REMOVE leaseUntil${outcome.dispatchAt && !outcome.failed ? '' : ', outboxShard'}`,
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status', ...entry.names },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':error': outcome.error ?? null,
          ...(outcome.failed ? { ':failed': 'failed' } : { ':pending': 'pending' }),
          ...(outcome.dispatchAt && !outcome.failed
            ? {
                ':dispatchAt': outcome.dispatchAt,
                ':shard': shardOf(notificationId, table.shards.pendingOutbox),
              }
            : {}),
          ...entry.values,
        },
      });
    },

    async completeNotification(caseId, notificationId, outcome, timeline) {
      const entry = outcomeEntry(timeline);
      // Settled: the recipient and the payload are no longer needed (nothing sends it again). A case's
      // notification then holds only its outcome's timeline entry, part of the case's record, so it stays
      // as long as the case does (retention deletes the partition) and any expiry set at its put (an
      // erasure confirmation's, for its address) is removed. A notice to an incident's contact without a
      // case is on no timeline: it expires some days later.
      const expires = isContactOwnerId(caseId);
      await conditionalUpdate({
        Key: notificationKey(caseId, notificationId),
        UpdateExpression: `SET #status = :status, sentAt = :at, providerMessageId = :messageId${expires ? ', #ttl = :expires' : ''}${entry.set} REMOVE leaseUntil, outboxShard, recipient, #data${expires ? '' : ', #ttl'}`,
        ConditionExpression: '#status IN (:sending, :pending)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#ttl': caseTable.timeToLiveAttribute,
          '#data': 'data',
          ...entry.names,
        },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':at': outcome.at,
          ...(expires ? { ':expires': ttlAfter(outcome.at, settledNotificationDays) } : {}),
          ':messageId': outcome.providerMessageId ?? null,
          ':sending': 'sending',
          ':pending': 'pending',
          ...entry.values,
        },
      });
    },

    leaveHeldForDispatch: (caseId, notificationId) =>
      indexForDispatch(table, { caseId, notificationId }, 'sending'),

    async findDispatchableNotifications(now) {
      const due = await table.queryShardsUpTo(
        caseTable.indexes.pendingOutbox,
        now,
        table.shards.pendingOutbox,
      );
      return due.map((item) => ({ ...notificationRefOfKey(item), dispatchAt: String(item.dispatchAt) }));
    },

    async handOverToQueue(refs) {
      let handedOver = 0;
      await inParallel(refs, handOverConcurrency, async (ref) => {
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: notificationKey(ref.caseId, ref.notificationId),
              UpdateExpression: 'REMOVE outboxShard',
              ConditionExpression: 'attribute_exists(outboxShard) AND #status IN (:pending, :sending)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pending': 'pending', ':sending': 'sending' },
            }),
          );
          handedOver += 1;
        } catch (error) {
          // Settled or taken out meanwhile: nothing left to hand over.
          if (!isConditionFailure(error)) throw error;
        }
      });
      return handedOver;
    },
  };
}
