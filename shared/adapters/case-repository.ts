// The case repository: the only code that knows how cases, timelines and the outbox sit in DynamoDB.
// A state change, its timeline entries and its notifications are written in one transaction.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
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
import { caseTable } from './case-table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const notificationStatuses = [
  'pending',
  'sending',
  'sent',
  'failed',
  'suppressed',
  'skipped',
] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

export interface StoredNotification extends NotificationIntent {
  status: NotificationStatus;
  attempts: number;
  leaseUntil?: string;
  sentAt?: string;
  providerMessageId?: string;
  lastError?: string;
  createdAt: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  caseId: string;
  response: Record<string, unknown>;
  expiresAt: number;
}

export interface ContactCaseRef {
  caseId: string;
  trackingNumber?: string;
  createdAt: string;
}

/** A conditional write lost a race: someone else changed the item first. */
export class ConcurrentModification extends Error {
  override name = 'ConcurrentModification';
}

const casePk = (caseId: string) => `CASE#${caseId}`;
const caseSk = 'CASE';
const timelineSk = (entryId: string) => `TIMELINE#${entryId}`;
const notificationSk = (notificationId: string) => `NOTIFICATION#${notificationId}`;
const idempotencyPk = (key: string) => `IDEMPOTENCY#${createHash('sha256').update(key).digest('base64url')}`;
const contactPk = (hash: string) => `CONTACT#${hash}`;
const suppressionPk = (hash: string) => `SUPPRESSION#${hash}`;

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

function caseItem(supportCase: SupportCase): Record<string, unknown> {
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

export interface CaseRepository {
  nextDailySequence(day: string): Promise<number>;
  createCase(
    supportCase: SupportCase,
    timeline: TimelineEntry[],
    idempotency?: { key: string; record: IdempotencyRecord },
  ): Promise<void>;
  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | null>;
  getCase(caseId: string): Promise<SupportCase | null>;
  getCaseWithTimeline(
    caseId: string,
  ): Promise<{ supportCase: SupportCase; timeline: TimelineEntry[] } | null>;
  getCases(caseIds: readonly string[]): Promise<SupportCase[]>;
  saveCase(
    supportCase: SupportCase,
    changes: { timeline?: TimelineEntry[]; notifications?: NotificationIntent[]; extra?: TransactItem[] },
  ): Promise<SupportCase>;
  findCasesByContact(contactHashes: readonly string[], since: string): Promise<ContactCaseRef[]>;
  getNotification(caseId: string, notificationId: string): Promise<StoredNotification | null>;
  claimNotification(
    caseId: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
  ): Promise<StoredNotification>;
  releaseNotification(
    caseId: string,
    notificationId: string,
    outcome: { dispatchAt?: string; error?: string; failed?: boolean },
    timeline?: TimelineEntry,
  ): Promise<void>;
  completeNotification(
    caseId: string,
    notificationId: string,
    outcome: { status: 'sent' | 'suppressed' | 'skipped'; at: string; providerMessageId?: string },
    timeline?: TimelineEntry,
  ): Promise<void>;
  findDueCaseIds(now: string): Promise<string[]>;
  findDispatchableNotifications(now: string): Promise<Array<{ caseId: string; notificationId: string }>>;
  findCaseIdsInStatus(status: SupportCase['status'], createdBefore: string): Promise<string[]>;
  getSuppression(contactHash: string): Promise<Suppression | null>;
  suppressContact(contactHash: string, suppression: Suppression): Promise<boolean>;
}

/** An address or phone we must not message again (bounce, complaint, SMS opt-out). */
export interface Suppression {
  reason: 'bounce' | 'complaint' | 'opted_out';
  at: string;
  channel: 'email' | 'sms';
  caseId?: string;
}

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
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentModification('A conditional write failed');
      throw error;
    }
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
        ...(changes.extra ?? []),
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
            ConditionExpression:
              'attribute_exists(pk) AND (#status IN (:pending, :failed) OR (#status = :sending AND leaseUntil < :now))',
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
      const update: TransactItem = {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: outcome.failed
            ? 'SET #status = :failed, lastError = :error REMOVE leaseUntil, outboxShard'
            : `SET #status = :pending, lastError = :error${outcome.dispatchAt ? ', dispatchAt = :dispatchAt' : ''}, outboxShard = :shard REMOVE leaseUntil`,
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':error': outcome.error ?? null,
            ...(outcome.failed
              ? { ':failed': 'failed' }
              : { ':pending': 'pending', ':shard': shardOf(notificationId) }),
            ...(outcome.dispatchAt && !outcome.failed ? { ':dispatchAt': outcome.dispatchAt } : {}),
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
  };
}
