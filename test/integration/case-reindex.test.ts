// The reindex tool (npm run reindex) against DynamoDB Local: case items as earlier releases stored them (a
// closed case without retention keys, an open one with the legacy statusKey, each last updated two days
// ago and carrying its change) get their keys derived again, lose the change the stream can no longer
// deliver, and keep their version; a current item, a recent one and one whose change was never completed
// are left alone, and so is one whose change this code cannot read (counted, the run carries on); a dry
// run writes nothing; an item changed between the Scan and the update is not overwritten. Afterwards the retention job's query finds the closed case it could not see before.
import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseItem, encodeChange, timelineItem, toCase } from '#adapters/case-items';
import { caseIndexKeys, caseKeyAttributes } from '#adapters/case-keys';
import { reindexCases } from '#adapters/case-reindex';
import { type CaseTableClient, caseTableClient } from '#adapters/case-table-client';
import { dynamoRetentionStore } from '#adapters/retention-store';
import { contactOwnerId } from '#domain/incident';
import { defaultRetentionPolicy, retentionCutoffs } from '#domain/retention';
import type { SupportCase } from '#domain/support-case';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';
import { anAcceptance } from '../support/support-cases.ts';

const now = new Date();
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const twoDaysAgo = hoursAgo(48);
const indexKeyNames: readonly string[] = caseKeyAttributes.filter(
  (name) => !['pk', 'sk', 'entity', 'chg'].includes(name),
);

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

async function freshTable(): Promise<CaseTableClient> {
  const tableName = `reindex-${randomBytes(4).toString('hex')}`;
  await createCaseTable(env.dynamodb, tableName);
  return caseTableClient(
    DynamoDBDocumentClient.from(env.dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
  );
}

/** A case closed 400 days ago: the anonymisation is due, its clocks are gone. */
function closedCase(updatedAt = hoursAgo(400 * 24)): SupportCase {
  const open = anAcceptance({ receivedAt: new Date(Date.parse(updatedAt) - 86_400_000) }).supportCase;
  return {
    ...open,
    status: 'closed',
    clocks: {},
    resolvedAt: updatedAt,
    closedAt: updatedAt,
    updatedAt,
    version: 4,
  };
}

/**
 * A case item carrying its last change (a timeline entry), as stored at `updatedAt`; with `completed` the
 * change's timeline entry is stored too.
 */
async function putCase(
  table: CaseTableClient,
  supportCase: SupportCase,
  edit: (item: Record<string, unknown>) => Record<string, unknown>,
  options: { updatedAt: string; completed?: boolean },
): Promise<Record<string, unknown>> {
  const stored = { ...supportCase, updatedAt: options.updatedAt };
  const [entry] = anAcceptance({ caseId: stored.caseId }).timeline;
  if (!entry) throw new Error('The factory acceptance has no timeline entry');
  const change = encodeChange({
    caseId: stored.caseId,
    version: stored.version,
    at: stored.updatedAt,
    timeline: [entry],
    notifications: [],
  });
  const item = edit({ ...caseItem(stored), chg: change });
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
  if (options.completed !== false) {
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: timelineItem(stored.caseId, entry) }),
    );
  }
  return item;
}

const withoutRetentionKeys = ({ retentionShard: _s, retentionAt: _a, ...item }: Record<string, unknown>) =>
  item;

async function everyItem(table: CaseTableClient): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await table.client.send(
    new ScanCommand({ TableName: table.tableName, ConsistentRead: true }),
  );
  return Items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

const stored = async (table: CaseTableClient, item: Record<string, unknown>) =>
  table.get({ pk: String(item.pk), sk: String(item.sk) }, { consistent: true });

async function dueForRetention(table: CaseTableClient): Promise<string[]> {
  const found: string[] = [];
  const cutoffs = retentionCutoffs(now, defaultRetentionPolicy);
  for await (const page of dynamoRetentionStore(table).dueCaseIdPages(cutoffs)) found.push(...page);
  return found;
}

describe('npm run reindex', () => {
  let table: CaseTableClient;
  let closedBefore: Record<string, unknown>;
  let legacyOpen: Record<string, unknown>;
  let current: Record<string, unknown>;
  let recent: Record<string, unknown>;
  let neverCompleted: Record<string, unknown>;
  let unreadable: Record<string, unknown>;
  beforeAll(async () => {
    table = await freshTable();
    // Closed before the retentionDue index existed, still carrying the due-clock keys of its open days.
    closedBefore = await putCase(
      table,
      closedCase(),
      (item) => ({ ...withoutRetentionKeys(item), dueShard: 'S3', nextCheckAt: hoursAgo(401 * 24) }),
      { updatedAt: twoDaysAgo },
    );
    const open = anAcceptance({ receivedAt: new Date(Date.parse(twoDaysAgo)) }).supportCase;
    legacyOpen = await putCase(table, open, (item) => ({ ...item, statusKey: 'STATUS#open#5' }), {
      updatedAt: twoDaysAgo,
    });
    current = await putCase(table, anAcceptance().supportCase, (item) => item, { updatedAt: twoDaysAgo });
    recent = await putCase(table, closedCase(), withoutRetentionKeys, { updatedAt: hoursAgo(1) });
    neverCompleted = await putCase(table, closedCase(), withoutRetentionKeys, {
      updatedAt: twoDaysAgo,
      completed: false,
    });
    // Stale as well, but its change is in a format this code does not know.
    unreadable = await putCase(
      table,
      closedCase(),
      (item) => ({ ...withoutRetentionKeys(item), chg: '{"v":"9"}' }),
      {
        updatedAt: twoDaysAgo,
      },
    );
  });

  it('counts what a dry run would change, by attribute, and writes nothing', async () => {
    const before = await everyItem(table);
    const counts = await reindexCases(table, { apply: false, now, segments: 2, pageSize: 2 });
    expect(counts).toEqual({
      scanned: 11,
      caseItems: 6,
      upToDate: 1,
      stale: 2,
      updated: 0,
      recent: 1,
      changedMeanwhile: 0,
      changeNotCompleted: 1,
      unreadable: 1,
      byAttribute: { retentionShard: 1, retentionAt: 1, dueShard: 1, nextCheckAt: 1, statusKey: 1 },
      expiringNotifications: 0,
      notificationsKept: 0,
    });
    expect(await everyItem(table)).toEqual(before);
  });

  it('derives the stale items’ keys again, removes their change and keeps their version and timeline', async () => {
    expect(await dueForRetention(table)).not.toContain(toCase(closedBefore).caseId);
    const timelineBefore = (await everyItem(table)).filter((item) => item.entity === 'timeline');

    const counts = await reindexCases(table, { apply: true, now, segments: 2, pageSize: 2 });

    expect(counts).toMatchObject({
      caseItems: 6,
      upToDate: 1,
      stale: 2,
      updated: 2,
      recent: 1,
      unreadable: 1,
    });
    for (const before of [closedBefore, legacyOpen]) {
      const after = (await stored(table, before)) ?? {};
      const keys = Object.fromEntries(
        indexKeyNames.filter((name) => name in after).map((n) => [n, after[n]]),
      );
      expect(keys).toEqual(caseIndexKeys(toCase(before)));
      expect(after).not.toHaveProperty('chg');
      expect(after.version).toBe(before.version);
      expect(toCase(after)).toEqual(toCase(before));
    }
    expect((await everyItem(table)).filter((item) => item.entity === 'timeline')).toEqual(timelineBefore);
    for (const untouched of [current, recent, neverCompleted, unreadable]) {
      expect(await stored(table, untouched)).toEqual(untouched);
    }
    // The retention job now sees the case closed before its index existed.
    expect(await dueForRetention(table)).toContain(toCase(closedBefore).caseId);
  });

  it('finds nothing more to update on a second run', async () => {
    const counts = await reindexCases(table, { apply: true, now });
    expect(counts).toMatchObject({
      caseItems: 6,
      upToDate: 3,
      stale: 0,
      updated: 0,
      recent: 1,
      unreadable: 1,
    });
  });

  it('keeps to its rate of updates a second', async () => {
    const paced = await freshTable();
    for (let n = 0; n < 5; n += 1) {
      await putCase(paced, closedCase(), withoutRetentionKeys, { updatedAt: twoDaysAgo });
    }
    const started = Date.now();
    const counts = await reindexCases(paced, { apply: true, now, writesPerSecond: 4 });
    expect(counts.updated).toBe(5);
    // Five updates 250 ms apart: the last starts a second after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('does not overwrite an item changed between the Scan and its update', async () => {
    const raced = await freshTable();
    const item = await putCase(raced, closedCase(), withoutRetentionKeys, { updatedAt: twoDaysAgo });
    // A save lands just before the tool's update: the version moves on.
    const racing = Object.create(raced.client) as typeof raced.client;
    racing.send = (async (command: object) => {
      if (command instanceof UpdateCommand) {
        await raced.client.send(
          new UpdateCommand({
            TableName: raced.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET version = version + :one, updatedAt = :at',
            ExpressionAttributeValues: { ':one': 1, ':at': now.toISOString() },
          }),
        );
      }
      return raced.client.send(command as never);
    }) as typeof raced.client.send;

    const counts = await reindexCases(caseTableClient(racing, raced.tableName), { apply: true, now });

    expect(counts).toMatchObject({ stale: 1, updated: 0, changedMeanwhile: 1 });
    const after = await stored(raced, item);
    expect(after).toMatchObject({ version: Number(item.version) + 1, chg: item.chg });
    expect(after).not.toHaveProperty('retentionShard');
  });
});

describe('npm run reindex, for notifications settled while settling set an expiry', () => {
  let table: CaseTableClient;
  const expiresAt = Math.floor(now.getTime() / 1000) + 30 * 86_400;
  const caseId = anAcceptance().supportCase.caseId;
  const notification = (
    ownerId: string,
    id: string,
    fields: Record<string, unknown>,
  ): Record<string, unknown> => ({
    pk: `CASE#${ownerId}`,
    sk: `NOTIFICATION#${id}`,
    entity: 'notification',
    notificationId: id,
    caseId: ownerId,
    channel: 'email',
    ...fields,
  });
  // A case's, settled before session 11: its outcome entry would expire with it.
  const settledOfCase = notification(caseId, `${caseId}.ack.email`, {
    status: 'sent',
    expiresAt,
    'timeline:notification_sent': { kind: 'notification_sent' },
  });
  // A notice to an incident's contact without a case: on no timeline, it keeps its expiry.
  const owner = contactOwnerId('IN2611300830ABCD', 'k3y');
  const ofContact = notification(owner, `${owner}.r0.email`, { status: 'sent', expiresAt });
  // An erasure confirmation not yet sent: its expiry is for the address it still holds.
  const unsent = notification(caseId, `${caseId}.erasure.email`, {
    status: 'pending',
    recipient: 'someone@example.com',
    expiresAt,
  });
  // Settled since: no expiry.
  const settledSince = notification(caseId, `${caseId}.reply.v2.email`, { status: 'sent' });

  beforeAll(async () => {
    table = await freshTable();
    for (const item of [settledOfCase, ofContact, unsent, settledSince]) {
      await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
    }
  });

  it("counts a case's settled notification that still expires, and a dry run writes nothing", async () => {
    const before = await everyItem(table);
    const counts = await reindexCases(table, { apply: false, now });
    expect(counts).toMatchObject({ caseItems: 0, expiringNotifications: 1, notificationsKept: 0 });
    expect(await everyItem(table)).toEqual(before);
  });

  it('removes that expiry and leaves the contact’s notice and the unsent confirmation expiring', async () => {
    const counts = await reindexCases(table, { apply: true, now });
    expect(counts).toMatchObject({ expiringNotifications: 1, notificationsKept: 1 });
    const { expiresAt: _removed, ...kept } = settledOfCase;
    expect(await stored(table, settledOfCase)).toEqual(kept);
    for (const untouched of [ofContact, unsent, settledSince]) {
      expect(await stored(table, untouched)).toEqual(untouched);
    }
    expect(await reindexCases(table, { apply: true, now })).toMatchObject({ expiringNotifications: 0 });
  });
});
