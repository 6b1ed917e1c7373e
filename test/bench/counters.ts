// Report counters on a busy day (issue 11, "measure the choice"): what counting 100 case changes writes,
// as the writer's transaction did it until 2026-11-30 (each change adding to its day's counter items in
// the transaction that wrote it), as the table stream's completer did it until 2026-11-30, session 10 (a batch of
// changes summed into one shard's item, with a marker per change, in one transaction), and as it does it
// now (the batch summed into its lane's item by one update that moves the lane's mark). The two earlier
// ways are rebuilt here as they were, as baselines run in the same process. On a busy day a counter item
// holds every counter name, so each update is billed at its whole size: the items are filled first.
// The cost bench's single lifecycle runs on a fresh day, where the items are small, and is a batch of one.
// Its own in-memory DynamoDB Local (Java 17+).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { allShards, caseKey, reportCountersKey, shardOf, timelineKey } from '#adapters/case-keys';
import { caseTable } from '#adapters/case-table';
import { type CaseTableClient, caseTableClient, type TransactItem } from '#adapters/case-table-client';
import { dynamoReportCounters } from '#adapters/report-counters';
import { caseStatuses, caseTypes, categoriesByType, channels, teams } from '#domain/case-model';
import { durationBucketsMinutes } from '#domain/case-report';
import type { CommittedChange } from '#use-cases/ports';
import { itemSize } from '../../infra/sandbox/counting-proxy.ts';
import { startDynamoDbLocal } from '../../infra/sandbox/emulators.ts';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import { type BenchTable, progress } from './report.ts';

const changes = 100;
const day = '2026-11-30';

/** Every counter name a busy day's items come to hold (case-report.ts names them). */
function everyCounterName(): { day: string[]; team: string[] } {
  const names = [
    ...caseTypes.map((type) => `created.type.${type}`),
    ...Object.entries(categoriesByType).flatMap(([type, categories]) =>
      categories.map((category) => `created.category.${type}.${category}`),
    ),
    ...channels.map((channel) => `created.channel.${channel}`),
    ...teams.map((team) => `created.team.${team}`),
    ...caseStatuses.map((status) => `status.${status}`),
    'result.compensated',
    'result.no_compensation',
    ...['responses', 'scoreSum', 'satisfied', 'score.1', 'score.2', 'score.3', 'score.4', 'score.5'].map(
      (name) => `feedback.${name}`,
    ),
    ...['responses', 'promoters', 'passives', 'detractors'].map((name) => `nps.${name}`),
    ...['firstResponse', 'plan', 'resolution', 'appeal'].flatMap((clock) => [
      `sla.${clock}.met`,
      `sla.${clock}.breached`,
    ]),
    ...['firstResponse', 'resolution'].flatMap((histogram) => [
      ...durationBucketsMinutes.map((bound) => `${histogram}.le.${bound}`),
      `${histogram}.over`,
    ]),
  ];
  const teamScoped = names.filter(
    (name) =>
      ['status.resolved', 'feedback.responses', 'feedback.scoreSum', 'feedback.satisfied'].includes(name) ||
      name.startsWith('created.type.') ||
      name.startsWith('sla.'),
  );
  return { day: names, team: teams.flatMap((team) => teamScoped.map((name) => `team.${team}.${name}`)) };
}

/** A reply's counters: the first-response clock met, its histogram bucket, the status, and their team copies. */
const replyIncrements = {
  'status.in_progress': 1,
  'sla.firstResponse.met': 1,
  'firstResponse.le.60': 1,
  'team.branch.sla.firstResponse.met': 1,
};

interface Tally {
  /** As DynamoDB Local reports them (it adds a transaction's distinct item sizes once). */
  reported: number;
  /** As DynamoDB bills them: each item of a transaction twice, each update at its item's size. */
  billed: number;
}

export async function countersTable(): Promise<BenchTable> {
  progress('Report counters on a busy day: starting DynamoDB Local (in memory)…');
  const dynamodb = await startDynamoDbLocal();
  const raw = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  let consumed = 0;
  raw.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const capacity = (
        result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }
      ).ConsumedCapacity;
      for (const each of [capacity ?? []].flat()) consumed += each.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const names = everyCounterName();
    const rows: Array<[string, Tally]> = [];
    for (const scenario of [
      'per change, in the writer’s transaction (until 2026-11-30)',
      'a marker per change, batched by the stream (until 2026-11-30, session 10)',
      'a lane’s mark, batched by the stream (now)',
    ]) {
      for (const batch of scenario.startsWith('per') ? [1] : [1, 10, 100]) {
        const tableName = `counters-${rows.length}`;
        await createCaseTable(raw, tableName);
        const table = caseTableClient(client, tableName);
        // A busy day: every shard's day item holds every name, the teams' included.
        for (const shard of allShards(caseTable.shards.reportCounters)) {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...reportCountersKey(day, shard),
                entity: 'reportCounters',
                day,
                ...Object.fromEntries([...names.day, ...names.team].map((n) => [n, 1234])),
              },
            }),
          );
        }
        const sample = await client.send(
          new GetCommand({ TableName: tableName, Key: reportCountersKey(day, 'S0') }),
        );
        const counterKb = Math.ceil(itemSize(toWire(sample.Item ?? {})) / 1024);
        const committed: CommittedChange[] = Array.from({ length: changes }, (_, n) => ({
          caseId: `CS261130${String(1000 + n)}AB`,
          version: 3,
          at: `${day}T04:00:00.000Z`,
          timeline: [],
          notifications: [],
          reportCounters: { day, increments: replyIncrements },
        }));
        const proofOf = (change: CommittedChange) =>
          table.put(
            { ...timelineKey(change.caseId, `${change.at}#0001`), entity: 'timeline', kind: 'replied' },
            'attribute_not_exists(pk)',
          );
        consumed = 0;
        let billed = 0;
        if (scenario.startsWith('per')) {
          // The change's proof (its timeline entry) and its counters, one transaction per change.
          for (const change of committed) {
            await table.transact([proofOf(change), counterUpdate(table, replyIncrements, change.caseId)]);
            billed += 2 * (1 + counterKb);
          }
        } else {
          const reports = dynamoReportCounters(table);
          for (let start = 0; start < committed.length; start += batch) {
            // The writer's proof is a single put; the stream's completer counts the batch.
            const slice = committed.slice(start, start + batch);
            for (const change of slice) {
              await table.transact([proofOf(change)]);
              billed += 1;
            }
            if (scenario.startsWith('a marker')) {
              // At most 90 markers a transaction, as it was: with the day's item, within DynamoDB's 100.
              for (let from = 0; from < slice.length; from += 90) {
                const part = slice.slice(from, from + 90);
                await table.transact([
                  ...part.map((change) =>
                    table.put(
                      { pk: caseKey(change.caseId).pk, sk: `COUNTED#${change.version}`, entity: 'counted' },
                      'attribute_not_exists(pk)',
                    ),
                  ),
                  counterUpdate(table, sum(part.length), `${part[0]?.caseId}#3`),
                ]);
                billed += 2 * (part.length + counterKb);
              }
            } else {
              await reports.countChanges({
                lane: 'shardId-00000001764000000000-busyday',
                changes: slice.map((change, n) => ({ change, position: String(1_000_000 + start + n) })),
              });
              billed += counterKb;
            }
          }
        }
        const label = scenario.startsWith('per') ? scenario : `${scenario}, batches of ${batch}`;
        rows.push([label, { reported: consumed / changes, billed: billed / changes }]);
        progress(`  ${label}: ${(consumed / changes).toFixed(1)} units a change as reported`);
      }
    }
    const [before] = rows;
    const text = [
      `${changes} replies counted on a busy day (every shard's day item holds every counter name: ${everyCounterName().day.length} names and ${everyCounterName().team.length} team names, about ${Math.round(itemSizeOfNames([...everyCounterName().day, ...everyCounterName().team]) / 1024)} KB), each change's proof (its timeline entry) written as well.`,
      '',
      '| counting | write units a change, as DynamoDB Local reports | as DynamoDB bills | vs before (billed) |',
      '|---|---:|---:|---:|',
      ...rows.map(
        ([label, tally]) =>
          `| ${label} | ${tally.reported.toFixed(1)} | ${tally.billed.toFixed(1)} | ${before ? `${Math.round((tally.billed / before[1].billed) * 100)} %` : '—'} |`,
      ),
      '',
      "Billed: each item of a transaction at twice its size in KB (an update at the size of the item it updates), a single put or update at its size; DynamoDB Local reports a transaction by its distinct item sizes, once. A batch of 1 is what the cost bench's single lifecycle sees; at a busy day's rates the stream's batches fill (its window is 5 s, its batch 100). No target: this table measures the choice the issue asks to measure.",
    ].join('\n');
    return {
      title: 'Report counters on a busy day: per change, per batch with markers, or per batch with a mark',
      text,
      met: undefined,
    };
  } finally {
    raw.destroy();
    await dynamodb.stop();
  }
}

/** The reply increments of `changes` replies together. */
const sum = (changes: number) =>
  Object.fromEntries(Object.entries(replyIncrements).map(([name, value]) => [name, value * changes]));

/** An update of one shard's day item adding `increments`, as a transaction item (the earlier ways). */
function counterUpdate(
  table: CaseTableClient,
  increments: Record<string, number>,
  shardKey: string,
): TransactItem {
  const counters = Object.entries(increments);
  return {
    Update: {
      TableName: table.tableName,
      Key: reportCountersKey(day, shardOf(shardKey, table.shards.reportCounters)),
      UpdateExpression: `ADD ${counters.map((_, n) => `#c${n} :c${n}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(counters.map(([name], n) => [`#c${n}`, name])),
      ExpressionAttributeValues: Object.fromEntries(counters.map(([, value], n) => [`:c${n}`, value])),
    },
  };
}

function toWire(item: Record<string, unknown>): Record<string, { S?: string; N?: string }> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      typeof value === 'number' ? { N: String(value) } : { S: String(value) },
    ]),
  );
}

function itemSizeOfNames(names: readonly string[]): number {
  return itemSize(toWire(Object.fromEntries(names.map((name) => [name, 1234]))));
}
