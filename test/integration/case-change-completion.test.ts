// A case change commits as one conditional write of the case item, carrying the change, and then completes:
// its timeline entries and outbox notifications. Against DynamoDB Local: the writer completes its own
// change; when it stops after the commit, the table stream's CaseChangeCompleter (called with the stream's
// event shape, the image as the table holds it) completes it exactly once and queues its notifications;
// the completer counts every change's report counters once, in batches, however often a record arrives;
// a completion that races the writer's is written once, and an anonymised case's older change not at all.
// A new case is a change too: a creation left by a stopped writer gets its timeline entry and its contact
// index entries from the completer.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCaseStore } from '#adapters/case-store';
import { committedChangeOfImage } from '#adapters/case-stream';
import { type CaseTableClient, caseTableClient } from '#adapters/case-table-client';
import { dependencies } from '#adapters/dependencies';
import { dynamoReportCounters } from '#adapters/report-counters';
import { assignCase } from '#domain/case/staff-actions';
import type { SupportCase } from '#domain/support-case';
import { changeCase } from '#use-cases/change-case';
import { ChangeNotCompleted, type Dependencies } from '#use-cases/ports';
import { handler } from '../../functions/stream/complete-case-changes.ts';
import { functions } from '../../infra/catalogue.ts';
import { checkFilterPattern, type FilterPattern, matchesFilter } from '../../infra/sandbox/stream-filter.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
  lambdaContext,
} from '../support/integration-environment.ts';
import { storeAcceptedCase, storedTimelineItems } from '../support/stored-cases.ts';
import { streamRecord } from '../support/stream-records.ts';
import { anAcceptance } from '../support/support-cases.ts';

let deps: Dependencies;
let env: IntegrationEnvironment;
let table: CaseTableClient;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
  table = caseTableClient(DynamoDBDocumentClient.from(env.dynamodb), env.tableName);
});

/**
 * A case store whose writer stops after its commit (or after a few more writes): every write after those
 * fails, as on a lost connection.
 */
function storeThatStopsAfterCommit(writesThatLand = 1) {
  let writes = 0;
  const stopping = Object.create(table.client) as typeof table.client;
  stopping.send = (async (command: { constructor: { name: string } }) => {
    if (!/^(Get|Query|BatchGet)/.test(command.constructor.name)) {
      writes += 1;
      if (writes > writesThatLand) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    }
    return table.client.send(command as never);
  }) as typeof table.client.send;
  return dynamoCaseStore(caseTableClient(stopping, env.tableName));
}

/** The stream record DynamoDB writes for the case item as it is now: its new image, exactly as stored. */
async function streamRecordOf(caseId: string, sequence: string): Promise<DynamoDBRecord> {
  const { Item } = await env.dynamodb.send(
    new GetItemCommand({
      TableName: env.tableName,
      Key: { pk: { S: `CASE#${caseId}` }, sk: { S: 'CASE' } },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new Error(`No case item for ${caseId}`);
  return streamRecord({
    keys: { pk: { S: `CASE#${caseId}` }, sk: { S: 'CASE' } },
    newImage: Item as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    sequence,
    streamArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${env.tableName}/stream/2026-11-30T00:00:00.000`,
  });
}

/**
 * Hands records to the completer as the event source does, through one shard: each test its own, as its
 * sequence numbers are its own.
 */
async function complete(...records: DynamoDBRecord[]) {
  const shardId = `shardId-${expect.getState().currentTestName ?? 'test'}`;
  return handler({ Records: records, shardId, state: {} }, lambdaContext());
}

const assignedTo = (assignee: string) => (supportCase: SupportCase, at: Date) =>
  assignCase(supportCase, { actor: { sub: 'sue', roles: ['supervisor'] }, at, assignee });

async function countersOfToday(): Promise<Record<string, number>> {
  const reports = dynamoReportCounters(table);
  const [today] = await reports.getReportCounters([
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
  ]);
  return today?.counters ?? {};
}

describe('a case change', () => {
  it('is completed by its writer: the timeline entry is written and the case item carries the change', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const { supportCase: saved } = await changeCase(supportCase.caseId, deps, assignedTo('alice'));
    const whole = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    expect(whole?.supportCase).toEqual(saved);
    expect(whole?.timeline.some((entry) => entry.kind === 'assigned')).toBe(true);
    // Nothing is owed: the completer only reads that the change is complete.
    expect(await deps.cases.completeChanges([await changeOnItem(supportCase.caseId)])).toEqual([
      'already_complete',
    ]);
  });

  it('left incomplete by a writer that stopped is on the timeline at once, and completed from the stream once', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const before = await countersOfToday();
    const stopping = { ...deps, cases: storeThatStopsAfterCommit() };
    // The change stands: the caller gets the committed case.
    const { supportCase: saved } = await changeCase(supportCase.caseId, stopping, assignedTo('alice'));
    expect(saved.handler).toBe('alice');

    // Its entries are read from the case item until they are written.
    const pending = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    const assigned = pending?.timeline.filter((entry) => entry.kind === 'assigned') ?? [];
    expect(assigned).toHaveLength(1);
    expect(await timelineItemCount(supportCase.caseId)).toBe(0);

    const record = await streamRecordOf(supportCase.caseId, '100');
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await timelineItemCount(supportCase.caseId)).toBe(1);
    const after = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    expect(after?.timeline.filter((entry) => entry.kind === 'assigned')).toEqual(assigned);

    // The stream delivers at least once: a second delivery writes nothing and counts nothing again.
    const counted = await countersOfToday();
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await countersOfToday()).toEqual(counted);
    expect(await timelineItemCount(supportCase.caseId)).toBe(1);
    expect(counted).not.toEqual(before);
  });

  it('stopped halfway through its completion is completed from the stream without writing twice', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    // The commit, then one of the entries beside the proof; the proof's transaction never lands.
    await changeCase(supportCase.caseId, { ...deps, cases: storeThatStopsAfterCommit(2) }, assignedTo('dan'));
    const before = await allTimelineItems(supportCase.caseId);
    const owed = (await changeOnItem(supportCase.caseId)).timeline.map((entry) => entry.entryId);
    expect(owed.length).toBeGreaterThan(1);
    expect(before.filter((id) => owed.includes(id))).toHaveLength(owed.length - 1);
    expect(await complete(await streamRecordOf(supportCase.caseId, '150'))).toEqual({
      batchItemFailures: [],
      state: {},
    });
    const after = await allTimelineItems(supportCase.caseId);
    expect(after.filter((id) => owed.includes(id)).sort()).toEqual([...owed].sort());
  });

  it('completed from the stream puts its notifications in the outbox and queues them', async () => {
    const { received, supportCase, timeline, notifications } = await anAcceptanceLeftIncomplete();
    expect(notifications.length).toBeGreaterThan(0);
    expect(await deps.outbox.getNotification(received.caseId, notifications[0]!.notificationId)).toBeNull();
    await drainNotifications();
    expect(await complete(await streamRecordOf(supportCase.caseId, '200'))).toEqual({
      batchItemFailures: [],
      state: {},
    });
    for (const notification of notifications) {
      expect(await deps.outbox.getNotification(received.caseId, notification.notificationId)).toMatchObject({
        status: 'pending',
      });
    }
    const queued = await drainNotifications();
    expect(queued.sort()).toEqual(notifications.map((n) => n.notificationId).sort());
    const whole = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    expect(whole?.timeline.map((entry) => entry.entryId)).toEqual(
      expect.arrayContaining(timeline.map((entry) => entry.entryId)),
    );
  });

  it('completed by the stream first is not written again by its writer', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const current = (await deps.cases.getCase(supportCase.caseId))!;
    const decision = assignedTo('bob')(current, new Date());
    const slow = dynamoCaseStore({
      ...table,
      async transact(items) {
        await table.transact(items);
        // Between the writer's commit and its completion, the completer reads the commit and completes it.
        if (items.length === 1 && items[0]?.Put?.Item?.entity === 'case') {
          await complete(await streamRecordOf(supportCase.caseId, '300'));
        }
      },
    });
    await slow.saveCase(decision.supportCase, {
      timeline: decision.timeline,
      reportCounters: { day: '2026-11-29', increments: { 'test.race': 1 } },
    });
    expect(await timelineItemCount(supportCase.caseId)).toBe(1);
    const [day] = await dynamoReportCounters(table).getReportCounters(['2026-11-29']);
    expect(day?.counters['test.race']).toBe(1);
  });

  it('with counters only owes its writer nothing, and is counted from the stream once', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const current = (await deps.cases.getCase(supportCase.caseId))!;
    await storeThatStopsAfterCommit().saveCase(current, {
      reportCounters: { day: '2026-11-30', increments: { 'test.only': 1 } },
    });
    const record = await streamRecordOf(supportCase.caseId, '400');
    await complete(record);
    await complete(record);
    const [day] = await dynamoReportCounters(table).getReportCounters(['2026-11-30']);
    expect(day?.counters['test.only']).toBe(1);
  });

  it('counts a batch of changes together, each once, however the stream delivers them again', async () => {
    const stored = await Promise.all([1, 2, 3].map(() => storeAcceptedCase(deps)));
    const records: DynamoDBRecord[] = [];
    for (const [n, { supportCase }] of stored.entries()) {
      const current = (await deps.cases.getCase(supportCase.caseId))!;
      await deps.cases.saveCase(current, {
        reportCounters: { day: '2026-11-28', increments: { 'test.batch': 1, 'test.weight': n + 1 } },
      });
      records.push(await streamRecordOf(supportCase.caseId, String(800 + n)));
    }
    // The first alone, then all three (the event source retries from the first record), then again.
    await complete(records[0]!);
    await complete(...records);
    await complete(...records);
    const [day] = await dynamoReportCounters(table).getReportCounters(['2026-11-28']);
    expect(day?.counters).toMatchObject({ 'test.batch': 3, 'test.weight': 6 });
  });

  it('counts each lane by its own mark: a shard counting into the same day never hides another', async () => {
    const stored = await Promise.all([1, 2].map(() => storeAcceptedCase(deps)));
    const records: DynamoDBRecord[] = [];
    for (const { supportCase } of stored) {
      const current = (await deps.cases.getCase(supportCase.caseId))!;
      await deps.cases.saveCase(current, {
        reportCounters: { day: '2026-11-27', increments: { 'test.lanes': 1 } },
      });
    }
    // Two shards, the second's positions below the first's: they are not compared with each other.
    records.push(await streamRecordOf(stored[0]!.supportCase.caseId, '900'));
    records.push(await streamRecordOf(stored[1]!.supportCase.caseId, '90'));
    const reports = dynamoReportCounters(table);
    const counted = async (lane: string, record: DynamoDBRecord) =>
      reports.countChanges({
        lane,
        changes: [
          {
            change: committedChangeOfImage(record.dynamodb?.NewImage)!,
            position: record.dynamodb!.SequenceNumber!,
          },
        ],
      });
    expect(await counted('shardId-lanes-a', records[0]!)).toBe(1);
    expect(await counted('shardId-lanes-b', records[1]!)).toBe(1);
    expect(await counted('shardId-lanes-a', records[0]!)).toBe(0);
    expect(await counted('shardId-lanes-b', records[1]!)).toBe(0);
    const [day] = await reports.getReportCounters(['2026-11-27']);
    // The marks are the items' own: never read as counters.
    expect(day?.counters).toEqual({ 'test.lanes': 2 });
  });

  it('counts nothing, and has its batch delivered again, from an event that names no shard', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const current = (await deps.cases.getCase(supportCase.caseId))!;
    await deps.cases.saveCase(current, {
      reportCounters: { day: '2026-11-26', increments: { 'test.unnamed': 1 } },
    });
    const record = await streamRecordOf(supportCase.caseId, '950');
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: '950' }],
      state: {},
    });
    const [day] = await dynamoReportCounters(table).getReportCounters(['2026-11-26']);
    expect(day?.counters['test.unnamed']).toBeUndefined();
  });

  it("answers a window's closing invocation, with no records, with its state and nothing else", async () => {
    const closing = {
      Records: [],
      shardId: 'shardId-closing',
      window: { start: '2026-11-30T00:00:00Z', end: '2026-11-30T00:15:00Z' },
      state: {},
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    };
    expect(await handler(closing, lambdaContext())).toEqual({ batchItemFailures: [], state: {} });
  });

  it('that anonymises the case leaves no copy of itself on the case item once written', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const current = (await deps.cases.getCase(supportCase.caseId))!;
    const at = new Date().toISOString();
    const entry = { entryId: `${at}#0001`, at, kind: 'anonymised', actor: 'system' } as never;
    await deps.cases.saveCase({ ...current, anonymisedAt: at, updatedAt: at }, { timeline: [entry] });
    expect((await streamRecordOf(supportCase.caseId, '700')).dynamodb?.NewImage).not.toHaveProperty('chg');
  });

  it('left incomplete by an anonymising writer is written, then forgotten by the completer', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const current = (await deps.cases.getCase(supportCase.caseId))!;
    const at = new Date().toISOString();
    const entry = { entryId: `${at}#0001`, at, kind: 'anonymised', actor: 'system' } as never;
    await expect(
      storeThatStopsAfterCommit().saveCase(
        { ...current, anonymisedAt: at, updatedAt: at },
        { timeline: [entry] },
      ),
    ).rejects.toBeInstanceOf(ChangeNotCompleted);
    const record = await streamRecordOf(supportCase.caseId, '710');
    expect(record.dynamodb?.NewImage).toHaveProperty('chg');
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await allTimelineItems(supportCase.caseId)).toContain(`${at}#0001`);
    expect((await streamRecordOf(supportCase.caseId, '711')).dynamodb?.NewImage).not.toHaveProperty('chg');
  });

  it('is not completed once a later change anonymised the case: what it carried may be personal data', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    await changeCase(
      supportCase.caseId,
      { ...deps, cases: storeThatStopsAfterCommit() },
      assignedTo('carol'),
    );
    const record = await streamRecordOf(supportCase.caseId, '500');
    await table.client.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { pk: `CASE#${supportCase.caseId}`, sk: 'CASE' },
        UpdateExpression: 'SET #an = :at, version = version + :one',
        ExpressionAttributeNames: { '#an': 'an' },
        ExpressionAttributeValues: { ':at': 'x', ':one': 1 },
      }),
    );
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await timelineItemCount(supportCase.caseId)).toBe(0);
  });

  it('that cannot be read is reported as a failed record, so the event source retries it', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    await table.client.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { pk: `CASE#${supportCase.caseId}`, sk: 'CASE' },
        UpdateExpression: 'SET chg = :broken',
        ExpressionAttributeValues: { ':broken': '{"v":"one"}' },
      }),
    );
    const good = await storeAcceptedCase(deps);
    const records = [
      await streamRecordOf(good.supportCase.caseId, '600'),
      await streamRecordOf(supportCase.caseId, '601'),
    ];
    expect(await complete(...records)).toEqual({ batchItemFailures: [{ itemIdentifier: '601' }], state: {} });
  });
});

describe('a new case', () => {
  it('left by a writer that stopped after the case put is on the timeline at once, and completed from the stream: its entry and contact entries', async () => {
    const contactHashes = [`email-${Math.random()}`, `phone-${Math.random()}`];
    const acceptance = anAcceptance({ contactHashes });
    const { caseId, createdAt, trackingNumber } = acceptance.received;
    const created = { ...acceptance.timeline[0]!, kind: 'created' as const };
    await expect(
      storeThatStopsAfterCommit().createCase(acceptance.received, [created]),
    ).rejects.toBeInstanceOf(ChangeNotCompleted);
    expect(await allTimelineItems(caseId)).toEqual([]);
    expect(await deps.contacts.findCasesByContact(contactHashes, '2000-01-01')).toEqual([]);
    // Readers see its first entry from the case item until it is written.
    expect((await deps.cases.getCaseWithTimeline(caseId))?.timeline).toEqual([created]);

    // The creation is an INSERT, which the catalogue's filter lets through to the completer.
    const record = { ...(await streamRecordOf(caseId, '900')), eventName: 'INSERT' as const };
    expect(matchesFilter(completerFilter(), record)).toBe(true);
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await allTimelineItems(caseId)).toEqual([created.entryId]);
    const found = await deps.contacts.findCasesByContact(contactHashes, '2000-01-01');
    expect(found).toEqual([
      expect.objectContaining({ caseId, createdAt, trackingNumber }),
      expect.objectContaining({ caseId, createdAt, trackingNumber }),
    ]);
    // Nothing is owed any more; a second delivery writes nothing.
    expect(await deps.cases.completeChanges([await changeOnItem(caseId)])).toEqual(['already_complete']);
    expect(await complete(record)).toEqual({ batchItemFailures: [], state: {} });
    expect(await deps.contacts.findCasesByContact(contactHashes, '2000-01-01')).toHaveLength(2);
  });

  it('completed by its writer owes nothing, and intake replaces the creation it carried', async () => {
    const contactHashes = [`email-${Math.random()}`];
    const acceptance = anAcceptance({ contactHashes });
    await deps.cases.createCase(acceptance.received, [{ ...acceptance.timeline[0]!, kind: 'created' }]);
    const creation = await changeOnItem(acceptance.received.caseId);
    expect(creation).toMatchObject({ version: 0, opened: { contactHashes } });
    expect(await deps.cases.completeChanges([creation])).toEqual(['already_complete']);
    await deps.cases.saveCase(acceptance.supportCase, { timeline: acceptance.timeline });
    expect((await changeOnItem(acceptance.received.caseId)).opened).toBeUndefined();
  });
});

/** CaseChangeCompleter's stream filter, as the catalogue gives it to the event source. */
function completerFilter(): FilterPattern {
  const completer = functions.find((fn) => fn.name === 'CaseChangeCompleter');
  if (completer?.trigger.kind !== 'tableStream') throw new Error('CaseChangeCompleter has no stream trigger');
  const pattern: unknown = completer.trigger.filterPattern;
  checkFilterPattern(pattern);
  return pattern;
}

async function changeOnItem(caseId: string) {
  const record = await streamRecordOf(caseId, '0');
  const change = committedChangeOfImage(record.dynamodb?.NewImage);
  if (!change) throw new Error('The case item carries no change');
  return change;
}

async function allTimelineItems(caseId: string): Promise<string[]> {
  return (await storedTimelineItems(table, caseId)).map((item) => String(item.entryId));
}

async function timelineItemCount(caseId: string): Promise<number> {
  const items = await table.queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :timeline)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':timeline': 'TIMELINE#' },
    ConsistentRead: true,
  });
  // The acceptance's own entries (storeAcceptedCase) are written by the writer; count what came after.
  return items.filter((item) => item.kind === 'assigned').length;
}

/** An acceptance (case open, acknowledgements owed) whose writer stopped after the commit. */
async function anAcceptanceLeftIncomplete() {
  const acceptance = anAcceptance();
  await deps.cases.createCase(acceptance.received, []);
  await expect(
    storeThatStopsAfterCommit().saveCase(acceptance.supportCase, {
      timeline: acceptance.timeline,
      notifications: acceptance.notifications,
    }),
  ).rejects.toBeInstanceOf(ChangeNotCompleted);
  return acceptance;
}

/** Every notification id waiting on the email and SMS queues, taken off them. */
async function drainNotifications(): Promise<string[]> {
  const ids: string[] = [];
  for (const queue of ['notifications', 'smsNotifications'] as const) {
    for (;;) {
      const { Messages } = await env.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: env.queues[queue].url, MaxNumberOfMessages: 10 }),
      );
      if (!Messages?.length) break;
      for (const message of Messages) {
        ids.push(JSON.parse(message.Body ?? '{}').notificationId);
        await env.sqs.send(
          new DeleteMessageCommand({ QueueUrl: env.queues[queue].url, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }
  return ids;
}
