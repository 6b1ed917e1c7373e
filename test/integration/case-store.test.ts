// The case store and the idempotency records: a record goes in once per key and window; a new case is a
// single conditional put of the case item (carrying its creation), then its timeline and contact entries,
// and never a second case under one id; a save loses to a concurrent one, and report counters add up over
// shards. A transaction of one item goes as a single conditional write.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { caseTableClient } from '#adapters/case-table-client';
import { dependencies } from '#adapters/dependencies';
import { ConcurrentModification, type Dependencies, type IdempotencyRecord } from '#use-cases/ports';
import { drainCaseStream } from '../support/case-stream.ts';
import { requestsDuring, watchDynamoRequests } from '../support/dynamo-requests.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';
import { storeAcceptedCase } from '../support/stored-cases.ts';
import { anAcceptance, aReceivedCase } from '../support/support-cases.ts';

watchDynamoRequests();

let deps: Dependencies;
let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});

const aRecord = (caseId: string): IdempotencyRecord => ({
  requestHash: `hash-of-${caseId}`,
  caseId,
  response: { caseId },
  expiresAt: Math.floor(Date.now() / 1000) + 86_400,
});

describe('the idempotency record', () => {
  it('goes in when the key is free, and a second one under the same key is refused, writing nothing', async () => {
    const key = { key: `key-${Math.random()}`, scope: 'contact-hash|203.0.113.7' };
    const firstRecord = aRecord('CS2611300001AA');
    expect(await deps.idempotency.getIdempotencyRecord(key)).toBeNull();
    expect(await deps.idempotency.putIdempotencyRecord(key, firstRecord, new Date())).toBe(true);
    expect(await deps.idempotency.putIdempotencyRecord(key, aRecord('CS2611300002AA'), new Date())).toBe(
      false,
    );
    expect(await deps.idempotency.getIdempotencyRecord(key)).toMatchObject(firstRecord);
  });

  it('replaces a record past its window that TTL has not removed yet', async () => {
    const key = { key: `key-${Math.random()}`, scope: 'contact-hash|203.0.113.7' };
    const expired = { ...aRecord('CS2611300003AA'), expiresAt: Math.floor(Date.now() / 1000) - 60 };
    await deps.idempotency.putIdempotencyRecord(key, expired, new Date());
    const secondRecord = aRecord('CS2611300004AA');
    expect(await deps.idempotency.putIdempotencyRecord(key, secondRecord, new Date())).toBe(true);
    expect(await deps.idempotency.getIdempotencyRecord(key)).toMatchObject(secondRecord);
  });

  it('keeps keys of different scopes apart', async () => {
    const key = `key-${Math.random()}`;
    await deps.idempotency.putIdempotencyRecord({ key, scope: 'a' }, aRecord('CS2611300005AA'), new Date());
    await deps.idempotency.putIdempotencyRecord({ key, scope: 'b' }, aRecord('CS2611300006AA'), new Date());
    expect(await deps.idempotency.getIdempotencyRecord({ key, scope: 'a' })).toMatchObject({
      caseId: 'CS2611300005AA',
    });
    expect(await deps.idempotency.getIdempotencyRecord({ key, scope: 'b' })).toMatchObject({
      caseId: 'CS2611300006AA',
    });
  });
});

describe('creating a case', () => {
  it('puts the case alone, carrying its creation, then its timeline entry and contact entries: no transaction', async () => {
    const contactHash = `hash-${Math.random()}`;
    const acceptance = anAcceptance({ contactHashes: [contactHash] });
    const entry = { ...acceptance.timeline[0]!, kind: 'created' as const };
    const { requests } = await requestsDuring(() => deps.cases.createCase(acceptance.received, [entry]));
    expect(requests.map((request) => request.operation)).toEqual(['PutItem', 'PutItem', 'PutItem']);
    expect(requests[0]?.body.Item?.entity?.S).toBe('case');
    expect(requests[0]?.body.Item).toHaveProperty('chg');
    const { caseId } = acceptance.received;
    expect((await deps.cases.getCaseWithTimeline(caseId))?.timeline).toEqual([entry]);
    expect(await deps.contacts.findCasesByContact([contactHash], '2000-01-01')).toEqual([
      expect.objectContaining({ caseId, createdAt: acceptance.received.createdAt }),
    ]);
  });

  it('refuses a second case under the same id, writing nothing', async () => {
    const first = aReceivedCase({ contactHashes: [`hash-${Math.random()}`] });
    await deps.cases.createCase(first, []);
    const { requests } = await requestsDuring(() =>
      expect(
        deps.cases.createCase({ ...first, subject: 'another', contactHashes: ['other-hash'] }, []),
      ).rejects.toBeInstanceOf(ConcurrentModification),
    );
    expect(requests.map((request) => request.operation)).toEqual(['PutItem']);
    expect(await deps.cases.getCase(first.caseId)).toEqual(first);
    expect(await deps.contacts.findCasesByContact(['other-hash'], '2000-01-01')).toEqual([]);
  });
});

describe('saving a case', () => {
  it('bumps the version, and refuses a save from a stale copy', async () => {
    const { supportCase } = await storeAcceptedCase(deps);
    const stale = { ...supportCase };
    const saved = await deps.cases.saveCase({ ...supportCase, subject: 'first' }, {});
    expect(saved.version).toBe(supportCase.version + 1);
    await expect(deps.cases.saveCase({ ...stale, subject: 'second' }, {})).rejects.toBeInstanceOf(
      ConcurrentModification,
    );
    expect(await deps.cases.getCase(supportCase.caseId)).toEqual(saved);
  });

  it('adds the day’s counters of many cases, summed over their shards', async () => {
    const day = `2031-01-${String(Math.floor(Math.random() * 28) + 1).padStart(2, '0')}`;
    const stored = await Promise.all([1, 2, 3, 4, 5].map(() => storeAcceptedCase(deps)));
    for (const { supportCase } of stored) {
      await deps.cases.saveCase(supportCase, {
        reportCounters: { day, increments: { created: 1, breached: 2, unchanged: 0 } },
      });
    }
    // The table stream's completer counts them (a batch at a time, each change once).
    await drainCaseStream(env);
    expect(await deps.reports.getReportCounters([day, '2031-02-01'])).toEqual([
      { day, counters: { created: 5, breached: 10 } },
      { day: '2031-02-01', counters: {} },
    ]);
  });

  it('adds a timeline entry once, however often it is written', async () => {
    const { supportCase, timeline } = await storeAcceptedCase(deps);
    const entry = { ...timeline[0]!, entryId: `${timeline[0]!.entryId}-read`, message: 'read' };
    expect(await deps.cases.addTimelineEntry(supportCase.caseId, entry)).toBe(true);
    expect(await deps.cases.addTimelineEntry(supportCase.caseId, entry)).toBe(false);
    const stored = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    expect(stored?.timeline.filter((each) => each.entryId === entry.entryId)).toEqual([entry]);
    expect(stored?.supportCase).toEqual(supportCase);
  });
});

describe('the daily sequence', () => {
  it('counts up from one, per day', async () => {
    const day = `2032-03-${String(Math.floor(Math.random() * 28) + 1).padStart(2, '0')}`;
    const numbers = await Promise.all([1, 2, 3].map(() => deps.cases.nextDailySequence(day)));
    expect(numbers.sort()).toEqual([1, 2, 3]);
  });
});

describe('a transaction of one item', () => {
  it('is sent as the conditional single write it equals, and a lost condition is still ConcurrentModification', async () => {
    const document = DynamoDBDocumentClient.from(env.dynamodb);
    const sent: string[] = [];
    const send = document.send.bind(document);
    vi.spyOn(document, 'send').mockImplementation(((command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return send(command as never);
    }) as never);
    const table = caseTableClient(document, env.tableName);
    const item = { pk: `SURVEYED#single-${Math.random()}`, sk: 'SURVEYED', entity: 'surveyed' };
    await table.transact([table.put(item, 'attribute_not_exists(pk)')]);
    await expect(table.transact([table.put(item, 'attribute_not_exists(pk)')])).rejects.toBeInstanceOf(
      ConcurrentModification,
    );
    await table.transact([table.put({ ...item, sk: 'OTHER' }), table.put({ ...item, sk: 'THIRD' })]);
    expect(sent).toEqual(['PutCommand', 'PutCommand', 'TransactWriteCommand']);
  });
});
