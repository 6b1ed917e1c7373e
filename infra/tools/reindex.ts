// npm run reindex -- [--apply] [--segments N] [--rate N] [--table <name> | --stack <name> | --sandbox]
// Brings every case item's index keys up to the current layout (shared/adapters/case-reindex.ts): after a
// release that changes index keys or shard counts, and for cases closed before the retentionDue index.
// Dry run unless --apply.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ReindexCounts, reindexCases, tableNamesStartingWith } from '#adapters/case-reindex';
import { caseTableClient } from '#adapters/case-table-client';
import { sandboxTableName } from '../sandbox/sandbox.ts';
import { explainAwsError, missingAwsSettings, parseCli, usageError } from './cli.ts';

const usage = `Usage: npm run reindex -- [--apply] [--segments N] [--rate N] [--table <name> | --stack ParcelCare-<stage> | --sandbox [--sandbox-url <url>]]

Brings every case item's index keys (list, due clocks, retention) up to the current layout and shard
counts: a parallel Scan of the case items, one conditional update for each item whose keys differ.
Items updated in the last 25 hours are skipped (their own save derived their keys); run again later.
A dry run unless --apply: it counts what would change, by attribute, and writes nothing.
  --apply         write the updates
  --segments N    parallel Scan segments (default 4)
  --rate N        updates a second at most (default 50)
  The table: --table <name>; or the stack's, ParcelCare-$STAGE (STAGE, default dev) or --stack, with the
    region and credentials of the AWS SDK (AWS_REGION or AWS_PROFILE); or the running sandbox's
    (--sandbox: its DynamoDB Local on DYNAMODB_PORT, its clock from http://127.0.0.1:$PORT, or --sandbox-url).
  AWS_ENDPOINT_URL_DYNAMODB points the client elsewhere, as everywhere.

  npm run reindex -- --sandbox
  AWS_PROFILE=ops AWS_REGION=cn-north-1 npm run reindex -- --stack ParcelCare-prod --apply --rate 100`;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    usageError(usage, `--${name} takes a whole number above 0, not ${value}.`);
  return parsed;
}

/** The sandbox's clock: cases there were updated on its time, which may have been moved. */
async function sandboxNow(sandboxUrl: string): Promise<Date> {
  const response = await fetch(`${sandboxUrl.replace(/\/$/, '')}/_sandbox/clock`);
  if (!response.ok) throw new Error(`${sandboxUrl}/_sandbox/clock answered ${response.status}`);
  const { now } = (await response.json()) as { now: string };
  return new Date(now);
}

/**
 * The deployed table: CloudFormation names it `<stack>-StateCaseTable…` after the construct ids in
 * infra/stack/case-state.ts.
 */
async function stackTableName(client: DynamoDBClient, stackName: string): Promise<string> {
  const [name, ...others] = await tableNamesStartingWith(client, `${stackName}-StateCaseTable`);
  if (!name || others.length > 0) {
    throw new Error(
      `Could not find the one case table of ${stackName}: ${[name, ...others].filter(Boolean).join(', ') || 'none'}`,
    );
  }
  return name;
}

function printCounts(counts: ReindexCounts, apply: boolean): void {
  const rows: Array<[string, number]> = [
    ['items scanned', counts.scanned],
    ['case items', counts.caseItems],
    ['up to date', counts.upToDate],
    [apply ? 'updated' : 'would update', apply ? counts.updated : counts.stale],
    ['recent (updated in the last 25 h, skipped)', counts.recent],
    ['changed meanwhile (skipped)', counts.changedMeanwhile],
    ['last change never completed (skipped)', counts.changeNotCompleted],
    ['unreadable by this code (skipped; look at them)', counts.unreadable],
    [
      apply
        ? 'settled notifications of cases: expiry removed'
        : 'settled notifications of cases: expiry to remove',
      apply ? counts.notificationsKept : counts.expiringNotifications,
    ],
    ...Object.entries(counts.byAttribute)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]): [string, number] => [`  ${name}`, count]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, count] of rows) console.log(`${label.padEnd(width)}  ${String(count).padStart(8)}`);
}

async function main(): Promise<void> {
  const { values } = parseCli({
    help: usage,
    options: {
      apply: { type: 'boolean' },
      segments: { type: 'string' },
      rate: { type: 'string' },
      table: { type: 'string' },
      stack: { type: 'string' },
      sandbox: { type: 'boolean' },
      'sandbox-url': { type: 'string' },
    },
  });
  const sandboxFlag = values.sandbox === true || values['sandbox-url'] !== undefined;
  const segments = positiveInteger('segments', values.segments, 4);
  const writesPerSecond = positiveInteger('rate', values.rate, 50);
  if ([sandboxFlag, values.table !== undefined, values.stack !== undefined].filter(Boolean).length > 1) {
    usageError(usage, 'Name the table one way: --table, --stack or --sandbox.');
  }
  const missing = sandboxFlag ? null : missingAwsSettings();
  if (missing) {
    console.error(`Reindex needs AWS settings. ${missing}`);
    process.exit(1);
  }

  const client = sandboxFlag
    ? new DynamoDBClient({
        endpoint:
          process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? '8000'}`,
        region: process.env.AWS_REGION ?? 'us-east-1',
        credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      })
    : new DynamoDBClient({});
  const tableName = sandboxFlag
    ? sandboxTableName
    : (values.table ??
      (await stackTableName(client, values.stack ?? `ParcelCare-${process.env.STAGE ?? 'dev'}`)));
  const now = sandboxFlag
    ? await sandboxNow(values['sandbox-url'] ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`)
    : new Date();
  const apply = values.apply === true;
  console.log(
    `Reindexing ${tableName} (${apply ? 'apply' : 'dry run'}; ${segments} segments, at most ${writesPerSecond} updates/s; now ${now.toISOString()})`,
  );
  const table = caseTableClient(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
  );
  printCounts(await reindexCases(table, { apply, now, segments, writesPerSecond }), apply);
  if (!apply) console.log('Dry run: nothing written. Add --apply to write.');
  client.destroy();
}

if (import.meta.main) {
  main().catch((error: Error) => {
    console.error(`Reindex failed: ${explainAwsError(error)}`);
    process.exit(1);
  });
}
