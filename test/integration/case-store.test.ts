// The case store with the records written in its transactions: a new case and its idempotency record
// land together or not at all, a save loses to a concurrent one, and report counters add up over shards.
// A transaction of one item goes as a single conditional write.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { caseTableClient } from '#adapters/case-table-client';
import { dependencies } from '#adapters/dependencies';
import { ConcurrentModification, type Dependencies, type IdempotencyRecord } from '#use-cases/ports';
import { drainCaseStream } from '../support/case-stream.ts';
import {
  createIntegrationEnvironment,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';
import { storeAcceptedCase } from '../support/stored-cases.ts';
import { aReceivedCase } from '../support/support-cases.ts';

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

describe('creating a case with an idempotency key', () => {
  it('stores the record with the case, and refuses a second case under the same key', async () => {
    const key = { key: `key-${Math.random()}`, scope: 'contact-hash|203.0.113.7' };
    const first = aReceivedCase();
    const second = aReceivedCase();
    expect(await deps.idempotency.getIdempotencyRecord(key)).toBeNull();
    const firstRecord = aRecord(first.caseId);
    await deps.cases.createCase(first, [], { key, record: firstRecord });
    await expect(
      deps.cases.createCase(second, [], { key, record: aRecord(second.caseId) }),
    ).rejects.toBeInstanceOf(ConcurrentModification);
    expect(await deps.idempotency.getIdempotencyRecord(key)).toMatchObject(firstRecord);
    expect(await deps.cases.getCase(first.caseId)).toEqual(first);
    expect(await deps.cases.getCase(second.caseId)).toBeNull();
  });

  it('replaces a record past its window that TTL has not removed yet, in the same transaction', async () => {
    const key = { key: `key-${Math.random()}`, scope: 'contact-hash|203.0.113.7' };
    const first = aReceivedCase();
    const second = aReceivedCase();
    const expired = { ...aRecord(first.caseId), expiresAt: Math.floor(Date.now() / 1000) - 60 };
    await deps.cases.createCase(first, [], { key, record: expired });
    const secondRecord = aRecord(second.caseId);
    await deps.cases.createCase(second, [], { key, record: secondRecord });
    expect(await deps.idempotency.getIdempotencyRecord(key)).toMatchObject(secondRecord);
    expect(await deps.cases.getCase(second.caseId)).toEqual(second);
  });

  it('keeps keys of different scopes apart', async () => {
    const key = `key-${Math.random()}`;
    const first = aReceivedCase();
    const second = aReceivedCase();
    await deps.cases.createCase(first, [], { key: { key, scope: 'a' }, record: aRecord(first.caseId) });
    await deps.cases.createCase(second, [], { key: { key, scope: 'b' }, record: aRecord(second.caseId) });
    expect(await deps.idempotency.getIdempotencyRecord({ key, scope: 'a' })).toMatchObject({
      caseId: first.caseId,
    });
    expect(await deps.idempotency.getIdempotencyRecord({ key, scope: 'b' })).toMatchObject({
      caseId: second.caseId,
    });
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
