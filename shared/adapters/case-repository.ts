// The case repository: the only code that knows how cases, timelines and the outbox sit in DynamoDB.
// A state change, its timeline entries and its notifications are written in one transaction.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { priorityRank } from '#domain/routing';
import { nextClockCheckAt, type SlaClock } from '#domain/sla-clock';
import type { NotificationIntent, SupportCase, TimelineEntry } from '#domain/support-case';
import {
  type CaseRepository,
  ConcurrentModification,
  type ContactCaseRef,
  type IdempotencyRecord,
  type StoredNotification,
  type Suppression,
  type UrgentCase,
} from '../use-cases/ports.ts';
import { caseTable } from './case-table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const casePk = (caseId: string) => `CASE#${caseId}`;
const caseSk = 'CASE';
const timelineSk = (entryId: string) => `TIMELINE#${entryId}`;
const notificationSk = (notificationId: string) => `NOTIFICATION#${notificationId}`;
const idempotencyPk = (key: string) => `IDEMPOTENCY#${createHash('sha256').update(key).digest('base64url')}`;
const contactPk = (hash: string) => `CONTACT#${hash}`;
const suppressionPk = (hash: string) => `SUPPRESSION#${hash}`;
const surveyedPk = (hash: string) => `SURVEYED#${hash}`;

export function shardOf(id: string): string {
  const bucket = createHash('sha256').update(id).digest().readUInt32BE(0) % caseTable.shardCount;
  return `SHARD#${bucket}`;
}

export function allShards(): string[] {
  return Array.from({ length: caseTable.shardCount }, (_, bucket) => `SHARD#${bucket}`);
}

function runningClocks(supportCase: SupportCase): SlaClock[] {
  return Object.values(supportCase.clocks).filter((clock): clock is SlaClock => clock !== undefined);
}

/** Index keys are derived from the case on every save, so they can never disagree with it. */
export function caseIndexKeys(supportCase: SupportCase): Record<string, unknown> {
  const clocks = runningClocks(supportCase);
  const nearestDue =
    clocks
      .filter((clock) => clock.state === 'running' || clock.state === 'paused')
      .map((clock) => clock.dueAt)
      .sort()[0] ?? '9999-12-31T23:59:59.999Z';
  const nextCheck = nextClockCheckAt(clocks);
  return {
    statusKey: `STATUS#${supportCase.status}`,
    teamStatusKey: `TEAM#${supportCase.team}#STATUS#${supportCase.status}`,
    urgencyKey: `${priorityRank[supportCase.priority]}#${nearestDue}#${supportCase.caseId}`,
    breached: clocks.some((clock) => clock.breachedAt !== null),
    ...(nextCheck ? { dueShard: shardOf(supportCase.caseId), nextCheckAt: nextCheck } : {}),
  };
}

/** The stored shape of a case: the case itself, its keys and its derived index keys. */
export function caseItem(supportCase: SupportCase): Record<string, unknown> {
  return {
    pk: casePk(supportCase.caseId),
    sk: caseSk,
    entity: 'case',
    ...supportCase,
    ...caseIndexKeys(supportCase),
  };
}

const indexAttributes = [
  'pk',
  'sk',
  'entity',
  'statusKey',
  'teamStatusKey',
  'urgencyKey',
  'breached',
  'dueShard',
  'nextCheckAt',
];

function toCase(item: Record<string, unknown>): SupportCase {
  const copy = { ...item };
  for (const attribute of indexAttributes) delete copy[attribute];
  return copy as unknown as SupportCase;
}

function timelineItem(caseId: string, entry: TimelineEntry): Record<string, unknown> {
  return { pk: casePk(caseId), sk: timelineSk(entry.entryId), entity: 'timeline', ...entry };
}

function toTimelineEntry(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, entity: _entity, ...entry } = item;
  return entry as unknown as TimelineEntry;
}

function notificationItem(intent: NotificationIntent, createdAt: string): Record<string, unknown> {
  return {
    pk: casePk(intent.caseId),
    sk: notificationSk(intent.notificationId),
    entity: 'notification',
    ...intent,
    status: 'pending',
    attempts: 0,
    createdAt,
    outboxShard: shardOf(intent.notificationId),
  };
}

function toNotification(item: Record<string, unknown>): StoredNotification {
  const { pk: _pk, sk: _sk, entity: _entity, outboxShard: _shard, ...notification } = item;
  return notification as unknown as StoredNotification;
}

function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
  }
  return false;
}

const transactionConflictAttempts = 4;

function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

const reportPk = (day: string) => `REPORT#${day}`;
const reportSk = (shard: string) => `COUNTERS#${shard}`;
const reportItemAttributes = new Set(['pk', 'sk', 'entity', 'day']);

export function dynamoCaseRepository(client: DynamoDBDocumentClient, tableName: string): CaseRepository {
  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function transact(items: TransactItem[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (isConditionFailure(error)) throw new ConcurrentModification('A conditional write failed');
        // Another transaction held one of the items (e.g. a shared report counter): nothing was written,
        // so the same request is simply tried again after a short, jittered pause.
        if (isTransactionConflict(error) && attempt < transactionConflictAttempts) {
          await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 40));
          continue;
        }
        throw error;
      }
    }
  }

  /** The day's counters as an item of the caller's transaction, sharded by case so writers don't collide. */
  function reportCounterUpdates(
    day: string,
    increments: Record<string, number>,
    shardKey: string,
  ): TransactItem[] {
    const counters = Object.entries(increments).filter(([, value]) => value !== 0);
    if (counters.length === 0) return [];
    return [
      {
        Update: {
          TableName: tableName,
          Key: { pk: reportPk(day), sk: reportSk(shardOf(shardKey)) },
          UpdateExpression: `SET entity = :entity, #day = :day ADD ${counters
            .map((_, index) => `#c${index} :c${index}`)
            .join(', ')}`,
          ExpressionAttributeNames: {
            '#day': 'day',
            ...Object.fromEntries(counters.map(([name], index) => [`#c${index}`, name])),
          },
          ExpressionAttributeValues: {
            ':entity': 'reportCounters',
            ':day': day,
            ...Object.fromEntries(counters.map(([, value], index) => [`:c${index}`, value])),
          },
        },
      },
    ];
  }

  const put = (item: Record<string, unknown>, condition?: string): TransactItem => ({
    Put: { TableName: tableName, Item: item, ...(condition ? { ConditionExpression: condition } : {}) },
  });

  return {
    async nextDailySequence(day) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `SEQUENCE#${day}`, sk: 'SEQUENCE' },
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
      const items: TransactItem[] = [
        put(caseItem(supportCase), 'attribute_not_exists(pk)'),
        ...timeline.map((entry) => put(timelineItem(supportCase.caseId, entry))),
        ...supportCase.contactHashes.map((hash) =>
          put({
            pk: contactPk(hash),
            sk: `CASE#${supportCase.createdAt}#${supportCase.caseId}`,
            entity: 'contactCase',
            caseId: supportCase.caseId,
            trackingNumber: supportCase.trackingNumber,
            createdAt: supportCase.createdAt,
          }),
        ),
      ];
      if (idempotency) {
        items.push(
          put(
            {
              pk: idempotencyPk(idempotency.key),
              sk: 'IDEMPOTENCY',
              entity: 'idempotency',
              ...idempotency.record,
            },
            'attribute_not_exists(pk)',
          ),
        );
      }
      await transact(items);
    },

    async getIdempotencyRecord(key) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: idempotencyPk(key), sk: 'IDEMPOTENCY' },
          ConsistentRead: true,
        }),
      );
      return (result.Item as IdempotencyRecord | undefined) ?? null;
    },

    async getCase(caseId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: casePk(caseId), sk: caseSk },
          ConsistentRead: true,
        }),
      );
      return result.Item ? toCase(result.Item) : null;
    },

    async getCaseWithTimeline(caseId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'entity IN (:case, :timeline)',
        ExpressionAttributeValues: { ':pk': casePk(caseId), ':case': 'case', ':timeline': 'timeline' },
        ConsistentRead: true,
      });
      const caseRecord = items.find((item) => item.entity === 'case');
      if (!caseRecord) return null;
      const timeline = items.filter((item) => item.entity === 'timeline').map(toTimelineEntry);
      return { supportCase: toCase(caseRecord), timeline };
    },

    async getCases(caseIds) {
      const unique = [...new Set(caseIds)];
      const found: SupportCase[] = [];
      for (let start = 0; start < unique.length; start += 100) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(start, start + 100)
          .map((caseId) => ({ pk: casePk(caseId), sk: caseSk }));
        while (keys && keys.length > 0) {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
          found.push(...(result.Responses?.[tableName] ?? []).map(toCase));
          keys = result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
        }
      }
      return found;
    },

    async saveCase(supportCase, changes) {
      const saved: SupportCase = { ...supportCase, version: supportCase.version + 1 };
      await transact([
        {
          Put: {
            TableName: tableName,
            Item: caseItem(saved),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': supportCase.version },
          },
        },
        ...(changes.timeline ?? []).map((entry) =>
          put(timelineItem(supportCase.caseId, entry), 'attribute_not_exists(pk)'),
        ),
        ...(changes.notifications ?? []).map((intent) =>
          put(notificationItem(intent, saved.updatedAt), 'attribute_not_exists(pk)'),
        ),
        ...(changes.reportCounters
          ? reportCounterUpdates(
              changes.reportCounters.day,
              changes.reportCounters.increments,
              supportCase.caseId,
            )
          : []),
      ]);
      return saved;
    },

    async findCasesByContact(contactHashes, since) {
      const refs: ContactCaseRef[] = [];
      for (const hash of new Set(contactHashes)) {
        const items = await queryAll({
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': contactPk(hash), ':since': `CASE#${since}` },
        });
        refs.push(...items.map((item) => item as unknown as ContactCaseRef));
      }
      return refs;
    },

    async getNotification(caseId, notificationId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: casePk(caseId), sk: notificationSk(notificationId) },
          ConsistentRead: true,
        }),
      );
      return result.Item ? toNotification(result.Item) : null;
    },

    async claimNotification(caseId, notificationId, now, leaseMs) {
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: casePk(caseId), sk: notificationSk(notificationId) },
            UpdateExpression: 'SET #status = :sending, leaseUntil = :lease ADD attempts :one',
            // A pending notification only once it is due; a failed one after a DLQ redrive; a sending one
            // only when its holder's lease ran out (the holder crashed).
            ConditionExpression:
              'attribute_exists(pk) AND ((#status = :pending AND dispatchAt <= :now) OR #status = :failed OR (#status = :sending AND leaseUntil < :now))',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
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
      const key = { pk: casePk(caseId), sk: notificationSk(notificationId) };
      // Held for later: back in the outbox index, where the dispatch job finds it when it is due. Failed
      // sends: out of the index, since the queue message that failed retries it with backoff (a sweep
      // re-queuing it every minute would defeat the backoff and multiply messages during an outage).
      const update: TransactItem = {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: outcome.failed
            ? 'SET #status = :failed, lastError = :error REMOVE leaseUntil, outboxShard'
            : outcome.dispatchAt
              ? 'SET #status = :pending, lastError = :error, dispatchAt = :dispatchAt, outboxShard = :shard REMOVE leaseUntil'
              : 'SET #status = :pending, lastError = :error REMOVE leaseUntil, outboxShard',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':error': outcome.error ?? null,
            ...(outcome.failed ? { ':failed': 'failed' } : { ':pending': 'pending' }),
            ...(outcome.dispatchAt && !outcome.failed
              ? { ':dispatchAt': outcome.dispatchAt, ':shard': shardOf(notificationId) }
              : {}),
          },
        },
      };
      await transact([
        update,
        ...(timeline ? [put(timelineItem(caseId, timeline), 'attribute_not_exists(pk)')] : []),
      ]);
    },

    async completeNotification(caseId, notificationId, outcome, timeline) {
      await transact([
        {
          Update: {
            TableName: tableName,
            Key: { pk: casePk(caseId), sk: notificationSk(notificationId) },
            UpdateExpression:
              'SET #status = :status, sentAt = :at, providerMessageId = :messageId REMOVE leaseUntil, outboxShard',
            ConditionExpression: '#status IN (:sending, :pending)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': outcome.status,
              ':at': outcome.at,
              ':messageId': outcome.providerMessageId ?? null,
              ':sending': 'sending',
              ':pending': 'pending',
            },
          },
        },
        ...(timeline ? [put(timelineItem(caseId, timeline), 'attribute_not_exists(pk)')] : []),
      ]);
    },

    async findDueCaseIds(now) {
      const index = caseTable.indexes.dueClocks;
      const perShard = await Promise.all(
        allShards().map((shard) =>
          queryAll({
            IndexName: index.indexName,
            KeyConditionExpression: 'dueShard = :shard AND nextCheckAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
          }),
        ),
      );
      return perShard.flat().map((item) => String(item.pk).slice('CASE#'.length));
    },

    async findDispatchableNotifications(now) {
      const index = caseTable.indexes.pendingOutbox;
      const perShard = await Promise.all(
        allShards().map((shard) =>
          queryAll({
            IndexName: index.indexName,
            KeyConditionExpression: 'outboxShard = :shard AND dispatchAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
          }),
        ),
      );
      return perShard.flat().map((item) => ({
        caseId: String(item.pk).slice('CASE#'.length),
        notificationId: String(item.sk).slice('NOTIFICATION#'.length),
      }));
    },

    async findCaseIdsInStatus(status, createdBefore) {
      const items = await queryAll({
        IndexName: caseTable.indexes.byStatus.indexName,
        KeyConditionExpression: 'statusKey = :status',
        FilterExpression: 'createdAt < :before',
        ExpressionAttributeValues: { ':status': `STATUS#${status}`, ':before': createdBefore },
        ProjectionExpression: 'caseId',
      });
      return items.map((item) => String(item.caseId));
    },

    async listCasesByUrgency({ status, team, breachedOnly, limit, startAfter }) {
      const index = team ? caseTable.indexes.byTeamStatus : caseTable.indexes.byStatus;
      const keyName = index.partitionKey.name;
      const keyValue = team ? `TEAM#${team}#STATUS#${status}` : `STATUS#${status}`;
      let startKey: Record<string, unknown> | undefined = startAfter
        ? {
            pk: casePk(startAfter.slice(startAfter.lastIndexOf('#') + 1)),
            sk: caseSk,
            [keyName]: keyValue,
            urgencyKey: startAfter,
          }
        : undefined;
      const cases: UrgentCase[] = [];
      // One more than asked tells whether anything follows the page.
      while (cases.length <= limit) {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.indexName,
            KeyConditionExpression: '#partition = :partition',
            ...(breachedOnly ? { FilterExpression: 'breached = :breached' } : {}),
            ExpressionAttributeNames: { '#partition': keyName },
            ExpressionAttributeValues: {
              ':partition': keyValue,
              ...(breachedOnly ? { ':breached': true } : {}),
            },
            // A filter drops items after the limit is applied, so read in larger pages when filtering.
            Limit: breachedOnly ? Math.max(50, limit + 1 - cases.length) : limit + 1 - cases.length,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          cases.push({ ...toCase(item), urgencyKey: String(item.urgencyKey) });
        }
        startKey = page.LastEvaluatedKey;
        if (!startKey) break;
      }
      return { cases: cases.slice(0, limit), exhausted: cases.length <= limit };
    },

    async getReportCounters(days) {
      const byDay = new Map<string, Record<string, number>>(days.map((day) => [day, {}]));
      const keys = days.flatMap((day) =>
        allShards().map((shard) => ({ pk: reportPk(day), sk: reportSk(shard) })),
      );
      for (let start = 0; start < keys.length; start += 100) {
        let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
        while (pending && pending.length > 0) {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const counters = byDay.get(String(item.day));
            if (!counters) continue;
            for (const [name, value] of Object.entries(item)) {
              if (reportItemAttributes.has(name) || typeof value !== 'number') continue;
              counters[name] = (counters[name] ?? 0) + value;
            }
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
        }
      }
      return [...byDay].map(([day, counters]) => ({ day, counters }));
    },

    async getSuppression(contactHash) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: suppressionPk(contactHash), sk: 'SUPPRESSION' } }),
      );
      if (!result.Item) return null;
      const { reason, at, channel, caseId } = result.Item as Suppression;
      return { reason, at, channel, caseId };
    },

    async suppressContact(contactHash, suppression) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: suppressionPk(contactHash),
              sk: 'SUPPRESSION',
              entity: 'suppression',
              ...suppression,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
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

    async reserveSurvey(contactHashes, reservation) {
      const { notificationId, caseId, at, notBefore, expiresAt } = reservation;
      try {
        await transact(
          [...new Set(contactHashes)].map((hash) => ({
            Put: {
              TableName: tableName,
              Item: {
                pk: surveyedPk(hash),
                sk: 'SURVEYED',
                entity: 'surveyed',
                lastSurveyAt: at,
                notificationId,
                caseId,
                expiresAt,
              },
              // Free, or last used before the window, or already held by this very notification (a retry).
              ConditionExpression:
                'attribute_not_exists(pk) OR lastSurveyAt < :notBefore OR notificationId = :notificationId',
              ExpressionAttributeValues: { ':notBefore': notBefore, ':notificationId': notificationId },
            },
          })),
        );
        return true;
      } catch (error) {
        if (error instanceof ConcurrentModification) return false;
        throw error;
      }
    },

    async releaseSurveyReservation(contactHashes, notificationId) {
      for (const hash of new Set(contactHashes)) {
        try {
          await client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: { pk: surveyedPk(hash), sk: 'SURVEYED' },
              ConditionExpression: 'notificationId = :notificationId',
              ExpressionAttributeValues: { ':notificationId': notificationId },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
    },
  };
}
