// Incidents in the case table (keys from case-keys.ts): the incident and its rounds, the pages of waybills
// and contacts its fan-out works through, the waybill index intake reads, the links to cases, and progress
// counters that count each page and each notice once, by a marker written in the same transaction.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Incident, IncidentProgress, IncidentRound } from '#domain/incident';
import type { IncidentStore, StoredIncidentContact } from '../use-cases/incident-ports.ts';
import { ConcurrentModification } from '../use-cases/ports.ts';
import {
  caseIdOfKey,
  caseIdOfLinkKey,
  incidentContactsKey,
  incidentCountedKey,
  incidentKey,
  incidentLinkKey,
  incidentLinkPrefix,
  incidentProgressKey,
  incidentRoundKey,
  incidentScopeKey,
  notificationKey,
  type TableKey,
  waybillIncidentKey,
  waybillIncidentsPk,
} from './case-keys.ts';
import { caseTable } from './case-table.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';
import { inParallel } from './in-parallel.ts';
import { notificationItem } from './outbox.ts';

/** Markers only prove "counted"; a quarter after the incident nobody retries its pages any more. */
const markerLifetimeSeconds = 90 * 86_400;
/**
 * Contacts of a proactive notice (addresses in clear) and the waybill index go half a year after they
 * were written, by TTL: an incident lasts days, and no customer data stays for good.
 */
const incidentDataLifetimeSeconds = 183 * 86_400;
const expiresAfter = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** Conditional puts of one page run this many at a time. */
const putConcurrency = 10;

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest;
}

export function dynamoIncidentStore(table: CaseTableClient): IncidentStore {
  const { client, tableName } = table;

  /** Unconditional puts, 25 a request, retrying what DynamoDB left unprocessed. */
  const putAll = (items: readonly Record<string, unknown>[]) =>
    table.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));

  async function getItem(key: TableKey): Promise<Record<string, unknown> | null> {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item ?? null;
  }

  /** One counter increment with its marker: the marker's condition makes the increment happen once. */
  async function countOnce(incidentId: string, marker: string, increments: Record<string, number>) {
    const names = Object.keys(increments);
    try {
      await table.transact([
        table.put(
          {
            ...incidentCountedKey(incidentId, marker),
            entity: 'incident_counted',
            expiresAt: expiresAfter(markerLifetimeSeconds),
          },
          'attribute_not_exists(pk)',
        ),
        {
          Update: {
            TableName: tableName,
            Key: incidentProgressKey(incidentId),
            UpdateExpression: `ADD ${names.map((_, index) => `#c${index} :v${index}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#c${index}`, name])),
            ExpressionAttributeValues: Object.fromEntries(
              names.map((name, index) => [`:v${index}`, increments[name]]),
            ),
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentModification) return false;
      throw error;
    }
  }

  return {
    async createIncident(incident, round, pages) {
      await putAll([
        ...pages.scope.map((trackingNumbers, page) => ({
          ...incidentScopeKey(incident.incidentId, page),
          entity: 'incident_scope',
          trackingNumbers,
        })),
        ...pages.contacts.map((contacts, page) => ({
          ...incidentContactsKey(incident.incidentId, page),
          entity: 'incident_contacts',
          contacts,
          expiresAt: expiresAfter(incidentDataLifetimeSeconds),
        })),
        { ...incidentRoundKey(incident.incidentId, round.round), entity: 'incident_round', ...round },
      ]);
      // The incident last: whoever can read it can read every page it names.
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...incidentKey(incident.incidentId), entity: 'incident', ...incident },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getIncident(incidentId) {
      const item = await getItem(incidentKey(incidentId));
      return item ? (withoutKeys(item) as unknown as Incident) : null;
    },

    async addRound(incident, round) {
      await table.transact([
        table.put({
          ...incidentRoundKey(incident.incidentId, round.round),
          entity: 'incident_round',
          ...round,
        }),
        {
          Put: {
            TableName: tableName,
            Item: { ...incidentKey(incident.incidentId), entity: 'incident', ...incident },
            ConditionExpression: '#round = :previous AND #status = :active',
            ExpressionAttributeNames: { '#round': 'round', '#status': 'status' },
            ExpressionAttributeValues: { ':previous': round.round - 1, ':active': 'active' },
          },
        },
      ]);
    },

    async getRound(incidentId, round) {
      const item = await getItem(incidentRoundKey(incidentId, round));
      return item ? (withoutKeys(item) as unknown as IncidentRound) : null;
    },

    async getScopePage(incidentId, page) {
      const item = await getItem(incidentScopeKey(incidentId, page));
      return (item?.trackingNumbers as string[] | undefined) ?? [];
    },

    async getContactPage(incidentId, page) {
      const item = await getItem(incidentContactsKey(incidentId, page));
      return (item?.contacts as StoredIncidentContact[] | undefined) ?? [];
    },

    async trackingNumbers(incidentId) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scope)',
        ExpressionAttributeValues: { ':pk': incidentKey(incidentId).pk, ':scope': 'SCOPE#' },
        ConsistentRead: true,
      });
      return items.flatMap((item) => (item.trackingNumbers as string[] | undefined) ?? []);
    },

    async indexWaybills(incidentId, page, trackingNumbers) {
      await putAll(
        trackingNumbers.map((trackingNumber) => ({
          ...waybillIncidentKey(trackingNumber, incidentId),
          entity: 'waybill_incident',
          incidentId,
          page,
          expiresAt: expiresAfter(incidentDataLifetimeSeconds),
        })),
      );
    },

    async incidentsOfWaybill(trackingNumber) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': waybillIncidentsPk(trackingNumber) },
      });
      return items.map((item) => ({ incidentId: String(item.incidentId), page: Number(item.page) }));
    },

    async caseIdsOfWaybill(trackingNumber) {
      const index = caseTable.indexes.byWaybill;
      const items = await table.queryAll({
        IndexName: index.indexName,
        KeyConditionExpression: `${index.partitionKey.name} = :waybill`,
        ExpressionAttributeValues: { ':waybill': trackingNumber },
      });
      return [...new Set(items.map((item) => caseIdOfKey(item.pk)))];
    },

    async addLink(incidentId, page, caseId) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...incidentLinkKey(incidentId, page, caseId), entity: 'incident_link', caseId },
        }),
      );
    },

    async linkedCaseIds(incidentId, page) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
        ExpressionAttributeValues: { ':pk': incidentKey(incidentId).pk, ':link': incidentLinkPrefix(page) },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      });
      return items.map((item) => caseIdOfLinkKey(item.sk));
    },

    async putNotifications(intents, createdAt) {
      await inParallel(intents, putConcurrency, async (intent) => {
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              // Due now: outside the outbox index, as the page hands it to the queue itself
              // (fan-out-incident.ts); a notice held by quiet hours stays indexed for the dispatch job.
              Item: notificationItem(intent, createdAt, table.shards.pendingOutbox, { handedOff: true }),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          // Already written by an earlier attempt at this page: it may be sent already, so it stays as it is.
          if (!isConditionFailure(error)) throw error;
        }
      });
    },

    async countExisting(notices) {
      const keys = new Map(
        notices.map((notice) => [
          `${notice.caseId}/${notice.notificationId}`,
          notificationKey(notice.caseId, notice.notificationId),
        ]),
      );
      return (await table.batchGet([...keys.values()])).length;
    },

    countQueued: (incidentId, marker, queued) => countOnce(incidentId, `page:${marker}`, { queued }),

    countSettled: (incidentId, notice, state) =>
      countOnce(incidentId, `notice:${notice.caseId}:${notice.notificationId}`, { [state]: 1 }),

    async progress(incidentId): Promise<IncidentProgress> {
      const item = (await getItem(incidentProgressKey(incidentId))) ?? {};
      const count = (name: string) => Number(item[name] ?? 0);
      return {
        queued: count('queued'),
        sent: count('sent'),
        skipped: count('skipped'),
        failed: count('failed'),
      };
    },
  };
}
