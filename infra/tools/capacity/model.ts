// The capacity model: from a load (cases a day, peak factor), the lifecycle's measured request counts
// (measured-per-case.json) and the real key design (case-table.ts and the key module case-keys.ts,
// imported, so the model cannot drift from the code), every table and index key partition, queue,
// sending quota and function's concurrency at the peak, set against its declared AWS limit.
import { allShards, dailySequenceKey, reportCountersKeys, statusKeys } from '#adapters/case-keys';
import { caseTable } from '#adapters/case-table';
import { queueNames } from '#shared/work-queues';
import {
  batchSecondsEstimate,
  consumerOf,
  type FunctionDefinition,
  functions,
  queueSizing,
  type SendRates,
} from '../../catalogue.ts';
import { type DeclaredLimit, limits } from './limits.ts';
import type { MeasuredPerCase, MeasuredPhase } from './measured.ts';

export interface Load {
  casesPerDay: number;
  /** The peak rate as a multiple of the day's average rate. */
  peak: number;
  /** SMS per case (the measured lifecycle is an email-only case). */
  smsPerCase?: number;
  /** Handler time per invocation on AWS, or the sandbox's measured times (`measured`). */
  lambdaMs?: number | 'measured';
  /**
   * The account's SES send rate, emails/s (context `sesSendRatePerSecond`): the SES limit, and what the
   * email consumer's batch and maximum concurrency are derived from. Default: `limits.sesSendRate`.
   */
  sesRate?: number;
  /** The SMS origination identity's rate, SMS/s (context `smsSendRatePerSecond`). Default: `limits.smsSendRate`. */
  smsRate?: number;
}

/** The send rates of a load: what a deployment sets in context, the limits' values unless given. */
export const sendRatesOf = (load: Load): SendRates => ({
  emailPerSecond: load.sesRate ?? limits.sesSendRate.value,
  smsPerSecond: load.smsRate ?? limits.smsSendRate.value,
});

export interface CapacityRow {
  area: 'DynamoDB' | 'SQS' | 'Sending' | 'Lambda' | 'Case ids';
  what: string;
  /** The figure at the peak, in the limit's unit. */
  load: number;
  limit: DeclaredLimit;
  /** load ÷ limit. */
  utilisation: number;
  /** How the figure is derived. */
  basis: string;
}

/** What the model assumes beyond the measurements, each stated once. */
export const assumptions = {
  /**
   * The whole lifecycle runs at the peak rate (conservative: a peak of new cases is followed by its
   * replies and resolutions hours later, not at the same second).
   */
  lifecycleAtPeak: true,
  /** The busiest status (`open` or `in_progress`) takes half of a list index's writes. */
  hottestStatusShare: 0.5,
  /** The busiest team takes all of its status's writes (a snowed-in hub routes to one team). */
  hottestTeamShare: 1,
  /**
   * A report counter update is one update of its lane's day item, no transaction: 1 write unit on a quiet
   * day's item. (Until 2026-12-01 it was a transaction with a marker per change: 2 units each.) On a busy
   * day the item is about 6 KB, but a batch of up to 100 changes then updates it once.
   */
  unitsPerCounterWrite: 1,
  /** The daily sequence update is a small item outside a transaction: 1 write unit. */
  unitsPerSequenceWrite: 1,
  /**
   * At the peak a queue is never empty, so a consumer's invocation carries a full batch (its sizing's) and
   * handles the records in parallel in about `batchSecondsEstimate` (catalogue): its concurrency is
   * messages a second ÷ (batch ÷ that). Below the peak batches are partial, but then there is headroom:
   * once the maximum concurrency is reached the queue fills, and batches with it.
   */
  fullBatchesAtPeak: true,
  /**
   * Handler time per invocation on AWS, ms (HTTP functions; queue consumers: see fullBatchesAtPeak). The
   * sandbox's own times (in measured-per-case.json) are in-process handlers on a shared 2-core machine
   * against DynamoDB Local: seconds, not AWS's figures.
   */
  lambdaMsPerInvocation: 250,
  /**
   * A table-stream trigger's batches per stream shard at once: the stack leaves the event source's
   * ParallelizationFactor at Lambda's default, 1 (test/infra/stack.test.ts checks), so Lambda runs at most
   * one execution per shard, whatever the load. The table's stream has a shard per partition (shards split
   * as partitions do), and a partition serves at most 1,000 WCU/s and 3,000 RCU/s, so the peak's units give
   * the fewest partitions the table has then: a table that once took a bigger peak keeps more (partitions
   * never merge), and more shards mean more executions, each still at most one per shard.
   */
  streamParallelizationFactor: 1,
  /** Target: every figure below 70 % of its limit at the peak. */
  target: 0.7,
} as const;

/** How many partitions each hot key family spreads over, read from the key module. */
export function keyPartitions() {
  const day = '2026-11-11';
  return {
    // New writes go to the current count's shards; draining counts are only read.
    statusKeys: caseTable.shards.statusKeys.count,
    statusKeysRead: statusKeys('open', undefined).length,
    reportCounters: new Set(
      reportCountersKeys(day, { ...caseTable.shards.reportCounters, draining: [] }).map((key) => key.pk),
    ).size,
    dueClocks: allShards({ ...caseTable.shards.dueClocks, draining: [] }).length,
    pendingOutbox: allShards({ ...caseTable.shards.pendingOutbox, draining: [] }).length,
    dailySequence: new Set([dailySequenceKey(day).pk]).size,
  };
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/** Cases a second at the peak. */
export const peakCasesPerSecond = (load: Load) => (load.casesPerDay / 86_400) * load.peak;

export function capacityRows(load: Load, measured: MeasuredPerCase): CapacityRow[] {
  const perCase: MeasuredPhase = measured.wholeLifecycle;
  const rate = peakCasesPerSecond(load);
  const parts = keyPartitions();
  const rows: CapacityRow[] = [];
  const row = (area: CapacityRow['area'], what: string, value: number, limit: DeclaredLimit, basis: string) =>
    rows.push({ area, what, load: value, limit, utilisation: value / limit.value, basis });
  const dynamo = perCase.dynamodb;
  const index = (name: string) => dynamo.indexWriteUnits[name] ?? 0;

  row(
    'DynamoDB',
    'case table, write units',
    rate * dynamo.tableWriteUnits,
    limits.tableWriteUnits,
    `${dynamo.tableWriteUnits} WCU per case`,
  );
  row(
    'DynamoDB',
    'case table, read units',
    rate * dynamo.readUnits,
    limits.tableReadUnits,
    `${dynamo.readUnits} RCU per case`,
  );
  for (const name of Object.keys(caseTable.indexes)) {
    row(
      'DynamoDB',
      `index ${name}, write units`,
      rate * index(name),
      limits.tableWriteUnits,
      `${index(name)} WCU per case`,
    );
  }
  const listShare = assumptions.hottestStatusShare * assumptions.hottestTeamShare;
  // The all-teams list reads every team's keys; each case writes only its own team's.
  row(
    'DynamoDB',
    'byTeamStatus: hottest status key partition',
    (rate * index('byTeamStatus') * listShare) / parts.statusKeys,
    limits.partitionWriteUnits,
    `${index('byTeamStatus')} WCU per case × ${listShare} (busiest status of the busiest team) ÷ ${parts.statusKeys} shard(s)`,
  );
  row(
    'DynamoDB',
    'dueClocks: one shard partition',
    (rate * index('dueClocks')) / parts.dueClocks,
    limits.partitionWriteUnits,
    `${index('dueClocks')} WCU per case ÷ ${parts.dueClocks} shards`,
  );
  row(
    'DynamoDB',
    'pendingOutbox: one shard partition',
    (rate * index('pendingOutbox')) / parts.pendingOutbox,
    limits.partitionWriteUnits,
    `${index('pendingOutbox')} WCU per case ÷ ${parts.pendingOutbox} shards`,
  );
  const counterWrites = dynamo.keyWrites.REPORT ?? 0;
  // Each stream shard (a lane) counts into the report shard its id hashes to: the writes spread over the
  // lanes, never more than the report shards. Batches of one (as measured) are the bound.
  const lanes = Math.min(parts.reportCounters, streamShardsAtPeak(rate, perCase));
  row(
    'DynamoDB',
    "report counters: one lane's day partition",
    (rate * counterWrites * assumptions.unitsPerCounterWrite) / lanes,
    limits.partitionWriteUnits,
    `${counterWrites} counter writes per case × ${assumptions.unitsPerCounterWrite} WCU ÷ ${lanes} lane(s) (stream shards at the peak, at most the ${parts.reportCounters} report shards)`,
  );
  const sequenceWrites = dynamo.keyWrites.SEQUENCE ?? 0;
  row(
    'DynamoDB',
    'daily case-number sequence item',
    (rate * sequenceWrites * assumptions.unitsPerSequenceWrite) / parts.dailySequence,
    limits.partitionWriteUnits,
    `${sequenceWrites} update per case × ${assumptions.unitsPerSequenceWrite} WCU on ${parts.dailySequence} item(s)`,
  );
  row('Case ids', 'case numbers a day', load.casesPerDay, limits.caseNumbersPerDay, 'one number per case');

  const sms = load.smsPerCase ?? 0;
  for (const queue of queueNames) {
    const consumer = consumerOf(queue);
    const tally = consumer ? perCase.lambda[consumer.name] : undefined;
    const messages = consumer ? messagesPerCase(consumer, measured, load) : 0;
    const secondsEach = tally && tally.invocations > 0 ? tally.ms / tally.invocations / 1000 : 0;
    row(
      'SQS',
      `${queue} queue: messages in flight`,
      rate * messages * Math.max(secondsEach, 1),
      limits.sqsInFlight,
      `${messages} message(s) per case (${(rate * messages).toFixed(0)}/s) × max(1 s, ${secondsEach.toFixed(2)} s handling)`,
    );
  }
  const rates = sendRatesOf(load);
  row(
    'Sending',
    'emails per second (SES)',
    rate * perCase.emails,
    { ...limits.sesSendRate, value: rates.emailPerSecond },
    `${perCase.emails} emails per case`,
  );
  row(
    'Sending',
    'SMS per second',
    rate * sms,
    { ...limits.smsSendRate, value: rates.smsPerSecond },
    `${sms} SMS per case (--sms-per-case)`,
  );

  // Scheduled jobs run once a minute whatever the load: one execution each.
  let total = functions.filter((fn) => fn.trigger.kind === 'schedule').length;
  for (const fn of functions) {
    if (fn.trigger.kind === 'schedule') continue;
    const tally = perCase.lambda[fn.name];
    const measuredMs = tally && tally.invocations > 0 ? tally.ms / tally.invocations : 0;
    if (fn.trigger.kind === 'tableStream') {
      // Bounded by the stream's shards, not by the load: one execution per shard (streamParallelizationFactor).
      const shards = streamShardsAtPeak(rate, perCase);
      const concurrency = shards * assumptions.streamParallelizationFactor;
      total += concurrency;
      row(
        'Lambda',
        `${fn.name} concurrency (table stream)`,
        concurrency,
        limits.lambdaConcurrency,
        `at most ${assumptions.streamParallelizationFactor} execution per stream shard; shards follow the table's partitions, ≥ ${shards} at ${whole(rate * perCase.dynamodb.tableWriteUnits)} WCU/s and ${whole(rate * perCase.dynamodb.readUnits)} RCU/s (a partition: ${whole(limits.partitionWriteUnits.value)} WCU/s, ${whole(limits.partitionReadUnits.value)} RCU/s)`,
      );
      continue;
    }
    if (fn.trigger.kind === 'queue') {
      // Full batches at the peak, their records in parallel (assumptions.fullBatchesAtPeak).
      const messages = messagesPerCase(fn, measured, load);
      const { batchSize, maxConcurrency } = queueSizing(fn.trigger, rates);
      const secondsPerBatch = load.lambdaMs === 'measured' ? measuredMs / 1000 : batchSecondsEstimate;
      const concurrency = (rate * messages * secondsPerBatch) / batchSize;
      total += concurrency;
      row(
        'Lambda',
        `${fn.name} concurrency`,
        concurrency,
        queueConcurrencyLimit(fn, maxConcurrency),
        `${messages} message(s) per case in batches of ${batchSize}, ${secondsPerBatch.toFixed(2)} s a batch (${(batchSize / secondsPerBatch).toFixed(0)}/s per execution)`,
      );
      continue;
    }
    if (!tally || tally.invocations === 0) continue;
    const msEach =
      load.lambdaMs === 'measured' ? measuredMs : (load.lambdaMs ?? assumptions.lambdaMsPerInvocation);
    const concurrency = (rate * tally.invocations * msEach) / 1000;
    total += concurrency;
    row(
      'Lambda',
      `${fn.name} concurrency`,
      concurrency,
      limits.lambdaConcurrency,
      `${tally.invocations} × ${msEach.toFixed(0)} ms per case`,
    );
  }
  row(
    'Lambda',
    'all functions, concurrency',
    total,
    limits.lambdaConcurrency,
    'sum of the functions above, schedules 1 each',
  );
  return rows;
}

/** The fewest partitions, so stream shards, the case table has at the peak's table units (not its indexes'). */
export function streamShardsAtPeak(casesPerSecond: number, perCase: MeasuredPhase): number {
  return Math.max(
    1,
    Math.ceil((casesPerSecond * perCase.dynamodb.tableWriteUnits) / limits.partitionWriteUnits.value),
    Math.ceil((casesPerSecond * perCase.dynamodb.readUnits) / limits.partitionReadUnits.value),
  );
}

/**
 * Messages a case puts on a consumer's queue: the sandbox drains after each step, so each measured
 * invocation carried one message; the measured lifecycle is email-only, so the SMS queue also takes
 * `--sms-per-case`.
 */
function messagesPerCase(consumer: FunctionDefinition, measured: MeasuredPerCase, load: Load): number {
  const invocations = measured.wholeLifecycle.lambda[consumer.name]?.invocations ?? 0;
  const smsQueue = consumer.trigger.kind === 'queue' && consumer.trigger.queue === 'smsNotifications';
  return invocations + (smsQueue ? (load.smsPerCase ?? 0) : 0);
}

/** A queue consumer is bounded by its trigger's maximum concurrency, as the catalogue sizes it. */
function queueConcurrencyLimit(fn: FunctionDefinition, maxConcurrency: number): DeclaredLimit {
  const sizing = fn.trigger.kind === 'queue' ? fn.trigger.maxConcurrency : undefined;
  const derivedFrom =
    sizing === 'emailRate'
      ? ' (sendingSizing of --ses-rate)'
      : sizing === 'smsRate'
        ? ' (sendingSizing of --sms-rate)'
        : sizing === 'expectedPeak'
          ? ' (intakeConcurrency of expectedPeak)'
          : '';
  return {
    value: maxConcurrency,
    unit: 'executions',
    kind: 'hard',
    source: `infra/catalogue.ts maxConcurrency${derivedFrom}`,
  };
}

/** The row closest to its limit, and the cases a day at which it reaches 100 %. */
export function firstToBreak(load: Load, rows: readonly CapacityRow[]) {
  const worst = [...rows].sort((a, b) => b.utilisation - a.utilisation)[0];
  if (!worst) throw new Error('No capacity rows');
  return { row: worst, breaksAtCasesPerDay: load.casesPerDay / worst.utilisation };
}

/** The request counts a run of `cases` submissions should show at the counting proxy. */
export function predictedRun(cases: number, measured: MeasuredPerCase) {
  const phase = measured.submitToAcknowledgement;
  return {
    dynamodbCalls: cases * sum(phase.dynamodb.calls),
    writeUnits: cases * (phase.dynamodb.tableWriteUnits + sum(phase.dynamodb.indexWriteUnits)),
    sqsRequests: cases * sum(phase.sqs),
    emails: cases * phase.emails,
  };
}
