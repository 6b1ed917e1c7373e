// npm run bench: every benchmark table in one run (the driver is at the end of this file), first the
// sweep table, defined here: what one SLA sweep reads, against a full-table Scan that finds the same cases, for two
// table sizes with the same 100 due clocks. The sweep queries the sparse, sharded `dueClocks` index
// exactly as `findDueCaseIds` does, so its cost should follow the due clocks, not the table.
//
// The sweep runs its own in-memory DynamoDB Local (Java 17+). Progress goes to stderr, the tables to stdout.
//   BENCH_SIZES=10000,100000 (default) · BENCH_DUE=100 (default)
//
// The other tables (cold-start.ts, cost.ts, burst.ts) have their settings at the top of their files.
//   BENCH_TABLES=sweep,cold,cost,counters,burst,capacity,incident (default: all, in this order) selects tables, e.g.
//   BENCH_TABLES=cost npm run -s bench
// Each line states its target and whether it was met; a target not met is reported, not failed (no
// timed test asserts them). The exit code is 1 only when a table could not be measured. Each other
// table loads its own module, so a table whose code no longer loads is reported and the rest still run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoCaseIndex } from '#adapters/case-index';
import { caseItem } from '#adapters/case-items';
import { allShards, caseIdOfKey } from '#adapters/case-keys';
import { caseTable } from '#adapters/case-table';
import { caseTableClient } from '#adapters/case-table-client';
import type { CaseSubmission } from '#domain/case/registration';
import { meetClock } from '#domain/sla-clock';
import type { SupportCase } from '#domain/support-case';
import { startDynamoDbLocal } from '../../infra/sandbox/emulators.ts';
import { createCaseTable } from '../../infra/sandbox/resources.ts';
import { parseCli } from '../../infra/tools/cli.ts';
import { anOpenCase } from '../support/support-cases.ts';
import type { BenchTable } from './report.ts';

parseCli({
  help: `Usage: npm run -s bench

What one SLA sweep reads against a full-table Scan, in tables of two sizes with the same due clocks, on
an in-memory DynamoDB Local (Java 17+). Progress on stderr, the results table on stdout.
  BENCH_SIZES (10000,100000) and BENCH_DUE (100) size it.`,
  options: {},
});

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const dueClocks = Number(process.env.BENCH_DUE ?? 100);
const batchSize = 25;
const writers = 8;
const sweepRuns = 5;
const scanPageItems = 500;

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

const progress = (line: string) => process.stderr.write(`${line}\n`);

// A fixed seed: the same tables on every run.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const submissions: Partial<CaseSubmission>[] = [
  {},
  {
    type: 'inquiry',
    subject: 'How long does express take to Beijing?',
    description: 'I want to send a parcel from Shanghai to Beijing. How many days does express take?',
    trackingNumber: undefined,
    customer: { name: 'Ann Lee', email: 'ann@example.com', type: 'individual', locale: 'en' },
  },
  {
    type: 'exception',
    category: 'damaged',
    subject: '包裹破损',
    description: '收到的包裹外箱破损，里面的杯子碎了。',
  },
  {
    type: 'complaint',
    subject: '快递延误',
    description: '承诺两天送达，已经过了五天还没收到，物流信息一直不更新。',
  },
];

/**
 * The table's mix. Exactly `dueClocks` cases have a threshold (80 % or 100 %) at or before `now`; the
 * rest are open with thresholds still ahead, or finished (most of any real table) with no running clock.
 */
function caseAt(index: number, now: Date, random: () => number): SupportCase {
  const caseId = `CS2611${String(index).padStart(8, '0')}BM`;
  const submission = submissions[index % submissions.length];
  const ago = (ms: number) => new Date(now.getTime() - ms);
  if (index < dueClocks) {
    // Unanswered for 100 minutes to 3 hours: at risk or breached.
    return anOpenCase({ caseId, receivedAt: ago(100 * minuteMs + random() * 80 * minuteMs), submission: {} });
  }
  const kind = random();
  if (kind < 0.1) {
    // Just arrived: first response at risk within the next 90 minutes.
    return anOpenCase({ caseId, receivedAt: ago(random() * 5 * minuteMs), submission });
  }
  if (kind < 0.25) {
    // Answered and planned; resolution running (its thresholds are days ahead).
    const open = anOpenCase({ caseId, receivedAt: ago(random() * 12 * hourMs), submission });
    const at = new Date(Date.parse(open.createdAt) + 20 * minuteMs);
    return {
      ...open,
      status: 'in_progress',
      clocks: {
        ...open.clocks,
        firstResponse: meetClock(open.clocks.firstResponse!, at),
        plan: meetClock(open.clocks.plan!, at),
      },
    };
  }
  // Finished within the last year: every clock met, nothing in the due index.
  const received = ago(random() * 365 * dayMs + dayMs);
  const open = anOpenCase({ caseId, receivedAt: received, submission });
  const resolvedAt = new Date(received.getTime() + 6 * hourMs);
  return {
    ...open,
    status: 'closed',
    owner: 'alice',
    handler: 'alice',
    clocks: {
      firstResponse: meetClock(open.clocks.firstResponse!, new Date(received.getTime() + 30 * minuteMs)),
      plan: meetClock(open.clocks.plan!, new Date(received.getTime() + 2 * hourMs)),
      resolution: meetClock(open.clocks.resolution!, resolvedAt),
    },
    resolvedAt: resolvedAt.toISOString(),
    closedAt: new Date(resolvedAt.getTime() + 7 * dayMs).toISOString(),
    updatedAt: new Date(resolvedAt.getTime() + 7 * dayMs).toISOString(),
  };
}

async function load(
  client: DynamoDBDocumentClient,
  tableName: string,
  size: number,
  now: Date,
): Promise<Set<string>> {
  const random = seededRandom(size);
  const cases = Array.from({ length: size }, (_, index) => caseAt(index, now, random));
  const due = new Set(cases.slice(0, dueClocks).map((supportCase) => supportCase.caseId));
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < cases.length; start += batchSize) {
    batches.push(cases.slice(start, start + batchSize).map((supportCase) => caseItem(supportCase)));
  }
  let written = 0;
  let nextReport = 0.1;
  const startedAt = performance.now();
  const writer = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
      written += batch.length;
      if (written / size >= nextReport) {
        progress(`  loaded ${written.toLocaleString('en')} of ${size.toLocaleString('en')} cases`);
        nextReport += 0.1;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  progress(`  loaded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return due;
}

interface ReadCost {
  found: Set<string>;
  itemsRead: number;
  capacityUnits: number;
  capacityReported: boolean;
  pages: number;
  ms: number;
}

type Page = Pick<QueryCommandOutput | ScanCommandOutput, 'Items' | 'ScannedCount' | 'ConsumedCapacity'>;

function addPage(cost: ReadCost, page: Page): void {
  for (const item of page.Items ?? []) cost.found.add(caseIdOfKey(item.pk));
  cost.itemsRead += page.ScannedCount ?? 0;
  if (page.ConsumedCapacity?.CapacityUnits === undefined) cost.capacityReported = false;
  cost.capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
  cost.pages += 1;
}

const emptyCost = (): ReadCost => ({
  found: new Set(),
  itemsRead: 0,
  capacityUnits: 0,
  capacityReported: true,
  pages: 0,
  ms: 0,
});

/** The sweep's query: every shard of the sparse index, due by now, every page. */
async function sweepCost(client: DynamoDBDocumentClient, tableName: string, now: string): Promise<ReadCost> {
  const cost = emptyCost();
  const startedAt = performance.now();
  await Promise.all(
    allShards(caseTable.shards.dueClocks).map(async (shard) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: caseTable.indexes.dueClocks.indexName,
            KeyConditionExpression: 'dueShard = :shard AND nextCheckAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        addPage(cost, page);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  cost.ms = performance.now() - startedAt;
  return cost;
}

/** What the sweep would cost without the index: read the whole table and filter. */
async function scanCost(client: DynamoDBDocumentClient, tableName: string, now: string): Promise<ReadCost> {
  const cost = emptyCost();
  const startedAt = performance.now();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'entity = :case AND nextCheckAt <= :now',
        ExpressionAttributeValues: { ':case': 'case', ':now': now },
        // DynamoDB Local slows down more than linearly on full 1 MB pages; smaller pages read the same
        // items for the same units (rounding to 4 KB per page aside) in a fraction of the time.
        Limit: scanPageItems,
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    addPage(cost, page);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  cost.ms = performance.now() - startedAt;
  return cost;
}

function sameCases(found: Set<string>, expected: Set<string>, what: string): void {
  const missing = [...expected].filter((caseId) => !found.has(caseId));
  const extra = [...found].filter((caseId) => !expected.has(caseId));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`${what} found the wrong cases: ${missing.length} missing, ${extra.length} extra`);
  }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  size: number;
  due: number;
  sweep: ReadCost;
  scan: ReadCost;
}

async function sweepTable(): Promise<BenchTable> {
  const startedAt = performance.now();
  progress(`Starting DynamoDB Local (in memory)…`);
  const dynamodb = await startDynamoDbLocal();
  const raw = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const rows: Row[] = [];
  try {
    for (const size of sizes) {
      const tableName = `bench-${size}`;
      const now = new Date();
      progress(`Table of ${size.toLocaleString('en')} cases, ${dueClocks} with a clock due:`);
      await createCaseTable(raw, tableName);
      const due = await load(client, tableName, size, now);
      const nowIso = now.toISOString();

      // The case index's own path must give the same answer as the measured query.
      const viaIndex = await dynamoCaseIndex(caseTableClient(client, tableName)).findDueCaseIds(nowIso);
      sameCases(new Set(viaIndex), due, 'findDueCaseIds');

      const sweeps: ReadCost[] = [];
      for (let run = 0; run < sweepRuns; run += 1) sweeps.push(await sweepCost(client, tableName, nowIso));
      const sweep = { ...sweeps[0]!, ms: median(sweeps.map((cost) => cost.ms)) };
      sameCases(sweep.found, due, 'The sweep');
      progress(`  sweep: ${sweep.itemsRead} items, ${sweep.capacityUnits} RCU, ${sweep.ms.toFixed(1)} ms`);

      progress('  scanning the whole table…');
      const scan = await scanCost(client, tableName, nowIso);
      sameCases(scan.found, due, 'The scan');
      progress(`  scan: ${scan.itemsRead} items, ${scan.capacityUnits} RCU, ${scan.ms.toFixed(0)} ms`);
      rows.push({ size, due: due.size, sweep, scan });

      // Free the emulator's memory before the next, larger table.
      await raw.send(new DeleteTableCommand({ TableName: tableName }));
    }
  } finally {
    client.destroy();
    await dynamodb.stop();
  }

  const reported = rows.every((row) => row.sweep.capacityReported && row.scan.capacityReported);
  const ratio = (scan: number, sweep: number) => (sweep === 0 ? '∞' : `${Math.round(scan / sweep)} ×`);
  const lines = [
    '| cases in table | due clocks | sweep items read | sweep RCU | scan items read | scan RCU | items ratio | RCU ratio | sweep ms | scan ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows
      .map((row) =>
        [
          row.size.toLocaleString('en'),
          row.due,
          row.sweep.itemsRead,
          row.sweep.capacityUnits,
          row.scan.itemsRead.toLocaleString('en'),
          row.scan.capacityUnits.toLocaleString('en'),
          ratio(row.scan.itemsRead, row.sweep.itemsRead),
          ratio(row.scan.capacityUnits, row.sweep.capacityUnits),
          row.sweep.ms.toFixed(1),
          row.scan.ms.toFixed(0),
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
  ];
  const withinTarget = rows.every((row) => row.sweep.itemsRead <= 2 * row.due);
  const text = `${lines.join('\n')}

Sweep: one Query per shard (${allShards(caseTable.shards.dueClocks).length} shards) of the sparse \`dueClocks\` index (keys only), \`nextCheckAt <= now\`, every page; each query costs at least 0.5 RCU, so ${allShards(caseTable.shards.dueClocks).length} shards cost at least ${allShards(caseTable.shards.dueClocks).length / 2}.
Table: case items only (the cases' timeline and outbox items, which a real table also holds, would make the scan dearer still).
Scan: the whole table with \`FilterExpression: entity = 'case' AND nextCheckAt <= now\`, pages of ${scanPageItems} items; both find the same ${dueClocks} cases.
Read units: ${reported ? 'as DynamoDB Local reports them (ReturnConsumedCapacity TOTAL; eventually consistent reads, 4 KB per unit, halved), summed over shards and pages' : 'DynamoDB Local did not report ConsumedCapacity for every page; the sums are partial'}.
Target (items read by the sweep ≤ 2 × due clocks, at every table size): ${withinTarget ? 'met' : 'NOT met'}.
Times: sweep median of ${sweepRuns} runs, scan one run; DynamoDB Local on ${cpus().length} CPU(s), Node ${process.version}; total ${((performance.now() - startedAt) / 1000).toFixed(0)} s.`;
  return { title: 'SLA sweep against a full scan', text, met: withinTarget };
}

const tables: Record<string, () => Promise<BenchTable>> = {
  sweep: sweepTable,
  cold: async () => (await import('./cold-start.ts')).coldStartTable(),
  cost: async () => (await import('./cost.ts')).costTable(),
  counters: async () => (await import('./counters.ts')).countersTable(),
  burst: async () => (await import('./burst.ts')).burstTable(),
  capacity: async () => (await import('./capacity-check.ts')).capacityCheckTable(),
  incident: async () => (await import('./incident.ts')).incidentTable(),
};

const selected = (process.env.BENCH_TABLES ?? Object.keys(tables).join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = selected.filter((name) => !(name in tables));
if (unknown.length > 0) {
  console.error(`BENCH_TABLES: no table ${unknown.join(', ')}; tables: ${Object.keys(tables).join(', ')}`);
  process.exit(2);
}

const machineLoad = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' })
      .trim()
      .replace(/^.*load/, 'load');
  } catch {
    return 'load unknown';
  }
};

const startedAt = performance.now();
console.log(
  `# npm run bench, ${new Date().toISOString()}\n\nMachine: ${cpus().length} CPU(s), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ${machineLoad()} at the start.`,
);
let failed = false;
const summary: string[] = [];
for (const name of selected) {
  progress(`== ${name}`);
  try {
    const table = await tables[name]!();
    console.log(`\n## ${table.title}\n\n${table.text}`);
    summary.push(
      `- ${table.title}: ${table.met === undefined ? 'no target (it measures a choice)' : `targets ${table.met ? 'met' : 'NOT met'}`}`,
    );
  } catch (error) {
    failed = true;
    console.log(`\n## ${name}\n\nCould not be measured: ${(error as Error).stack ?? error}`);
    summary.push(`- ${name}: could not be measured`);
  }
}
console.log(
  `\n## Summary\n\n${summary.join('\n')}\n\nTotal ${((performance.now() - startedAt) / 1000).toFixed(0)} s; ${machineLoad()} at the end.`,
);
if (failed) process.exitCode = 1;
