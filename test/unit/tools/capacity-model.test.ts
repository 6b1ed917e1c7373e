import { describe, expect, it } from 'vitest';
import { expectedPeak } from '#adapters/case-table';
import { functions, intakeConcurrency } from '#infra/catalogue';
import { type MeasuredPerCase, readMeasuredPerCase } from '../../../infra/tools/capacity/measured.ts';
import {
  assumptions,
  capacityRows,
  firstToBreak,
  keyPartitions,
  predictedRun,
  streamShardsAtPeak,
} from '../../../infra/tools/capacity/model.ts';

const measured: MeasuredPerCase = await readMeasuredPerCase();
const load = { casesPerDay: 1_000_000, peak: 10 };
const row = (rows: ReturnType<typeof capacityRows>, what: string) => {
  const found = rows.find((candidate) => candidate.what === what);
  if (!found) throw new Error(`No row ${what}`);
  return found;
};

describe('the capacity model', () => {
  it('scales every per-case figure with the load, so doubling the cases doubles the use', () => {
    const once = capacityRows(load, measured);
    const twice = capacityRows({ ...load, casesPerDay: 2_000_000 }, measured);
    for (const [index, figure] of once.entries()) {
      // The scheduled jobs' one execution each does not grow with the load, nor does a table stream's one
      // per shard (its shards grow in whole partitions), nor the report counters' spread over those shards.
      if (
        figure.what === 'all functions, concurrency' ||
        figure.what.endsWith('(table stream)') ||
        figure.what.startsWith('report counters')
      ) {
        continue;
      }
      expect(twice[index]?.load).toBeCloseTo(2 * figure.load, 6);
    }
  });

  it("spreads a key family's writes over the partitions the key module makes", () => {
    const rows = capacityRows(load, measured);
    const perSecond = (load.casesPerDay / 86_400) * load.peak;
    expect(row(rows, 'dueClocks: one shard partition').load).toBeCloseTo(
      (perSecond * (measured.wholeLifecycle.dynamodb.indexWriteUnits.dueClocks ?? 0)) /
        keyPartitions().dueClocks,
      6,
    );
    // Report counters: each stream shard (lane) counts into one report shard, so the lanes share the load.
    const lanes = Math.min(
      keyPartitions().reportCounters,
      streamShardsAtPeak(perSecond, measured.wholeLifecycle),
    );
    expect(lanes).toBeGreaterThan(1);
    expect(row(rows, "report counters: one lane's day partition").load).toBeCloseTo(
      (perSecond *
        (measured.wholeLifecycle.dynamodb.keyWrites.REPORT ?? 0) *
        assumptions.unitsPerCounterWrite) /
        lanes,
      6,
    );
    expect(row(rows, 'emails per second (SES)').load).toBeCloseTo(
      perSecond * measured.wholeLifecycle.emails,
      6,
    );
  });

  it('names the figure closest to its limit as the first to break, and where it reaches 100 %', () => {
    const rows = capacityRows(load, measured);
    const first = firstToBreak(load, rows);
    expect(rows.every((candidate) => candidate.utilisation <= first.row.utilisation)).toBe(true);
    const atBreak = capacityRows({ ...load, casesPerDay: first.breaksAtCasesPerDay }, measured);
    expect(row(atBreak, first.row.what).utilisation).toBeCloseTo(1, 6);
  });

  it('keeps every figure under 70 % at 1 million cases a day, 10×, with SES asked up to 1,000/s', () => {
    const rows = capacityRows({ ...load, sesRate: 1000, smsRate: 100 }, measured);
    const over = rows.filter((candidate) => candidate.utilisation >= assumptions.target);
    expect(
      over.map((candidate) => `${candidate.what} ${(candidate.utilisation * 100).toFixed(0)} %`),
    ).toEqual([]);
    expect(row(rows, 'case numbers a day').limit.value).toBe(9_999_999);
  });

  it('sets each notification consumer against the concurrency its own send rate gives it', () => {
    const at = (sesRate: number, smsRate: number) =>
      capacityRows({ ...load, smsPerCase: 0.5, sesRate, smsRate }, measured);
    // 20 messages a second per execution (full batches of 10 in 0.5 s).
    expect(row(at(1000, 10), 'NotificationConsumer concurrency').limit.value).toBe(50);
    expect(row(at(200, 10), 'NotificationConsumer concurrency').limit.value).toBe(10);
    expect(row(at(1000, 100), 'SmsNotificationConsumer concurrency').limit.value).toBe(5);
    expect(row(at(1000, 10), 'SmsNotificationConsumer concurrency').limit.value).toBe(2);
    // A slow SMS rate leaves email alone.
    expect(row(at(1000, 10), 'NotificationConsumer concurrency').utilisation).toBeCloseTo(
      row(at(1000, 1000), 'NotificationConsumer concurrency').utilisation,
      9,
    );
    expect(row(at(321, 10), 'emails per second (SES)').limit.value).toBe(321);
    expect(row(at(321, 45), 'SMS per second').limit.value).toBe(45);
    // SMS per case load the SMS queue and its consumer, not the email ones.
    const perSecond = (load.casesPerDay / 86_400) * load.peak;
    const rows = at(1000, 100);
    expect(row(rows, 'smsNotifications queue: messages in flight').load).toBeCloseTo(perSecond * 0.5, 6);
    expect(row(rows, 'SmsNotificationConsumer concurrency').load).toBeCloseTo((perSecond * 0.5) / 20, 6);
    expect(row(rows, 'NotificationConsumer concurrency').load).toBeCloseTo(
      (perSecond * (measured.wholeLifecycle.lambda.NotificationConsumer?.invocations ?? 0)) / 20,
      6,
    );
  });

  it('sets intake against the concurrency the expected peak gives it', () => {
    expect(row(capacityRows(load, measured), 'IntakeConsumer concurrency').limit.value).toBe(
      intakeConcurrency(10),
    );
  });

  it('bounds a table-stream trigger by one execution per shard, the shards by the peak’s partitions', () => {
    const perSecond = (load.casesPerDay / 86_400) * load.peak;
    const { tableWriteUnits, readUnits } = measured.wholeLifecycle.dynamodb;
    const shards = Math.max(
      1,
      Math.ceil((perSecond * tableWriteUnits) / 1000),
      Math.ceil((perSecond * readUnits) / 3000),
    );
    expect(streamShardsAtPeak(perSecond, measured.wholeLifecycle)).toBe(shards);
    const completer = row(capacityRows(load, measured), 'CaseChangeCompleter concurrency (table stream)');
    expect(completer.load).toBe(shards * assumptions.streamParallelizationFactor);
    // A tenth of the load needs fewer partitions, but never fewer than one.
    expect(streamShardsAtPeak(perSecond / 10, measured.wholeLifecycle)).toBeLessThan(shards);
    expect(streamShardsAtPeak(0, measured.wholeLifecycle)).toBe(1);
    // It counts in the account's concurrency with the other functions.
    const rows = capacityRows(load, measured);
    const others = rows.filter((r) => r.area === 'Lambda' && r.what !== 'all functions, concurrency');
    const schedules = functions.filter((fn) => fn.trigger.kind === 'schedule').length;
    expect(row(rows, 'all functions, concurrency').load).toBeCloseTo(
      others.reduce((total, r) => total + r.load, 0) + schedules,
      6,
    );
  });

  it('predicts a run of N submissions as N times one measured submission', () => {
    const one = predictedRun(1, measured);
    expect(one.dynamodbCalls).toBeGreaterThan(0);
    expect(predictedRun(300, measured).writeUnits).toBeCloseTo(300 * one.writeUnits, 6);
  });

  it('measures no more write units per case on a sharded key family than the shard counts were sized for', () => {
    const dynamo = measured.wholeLifecycle.dynamodb;
    const indexUnits = Object.values(dynamo.indexWriteUnits).reduce((a, b) => a + b, 0);
    // The sizing counts a transaction's index writes once (DynamoDB Local reports them twice).
    const once = (indexUnits - dynamo.transactionIndexWriteUnits / 2) / indexUnits;
    const index = (name: string) => (dynamo.indexWriteUnits[name] ?? 0) * once;
    const declared = expectedPeak.writeUnitsPerCase;
    expect(index('byTeamStatus') * assumptions.hottestStatusShare).toBeLessThanOrEqual(declared.statusKeys);
    expect(index('dueClocks')).toBeLessThanOrEqual(declared.dueClocks);
    expect(index('pendingOutbox')).toBeLessThanOrEqual(declared.pendingOutbox);
    expect((dynamo.keyWrites.REPORT ?? 0) * assumptions.unitsPerCounterWrite).toBeLessThanOrEqual(
      declared.reportCounters,
    );
  });
});
