// Burst: many concurrent submissions to distinct addresses against a sandbox, timed from each submit to
// its acknowledgement in the SES emulator's store; and beside it, in the same run, DynamoDB Local's own
// ceiling on the sandbox's case table: 4-item TransactWriteItems/s and 2 KB PutItem/s.
//   BENCH_BURST=300 (default): concurrent submissions · BENCH_CEILING_SECONDS=5 (default) per measurement
// The bench raises the sandbox's gateway bucket with SANDBOX_API_THROTTLE so that it measures the
// sandbox's own throughput (the stage's `apiThrottle`, a bucket of 500, takes a 300-case burst as well);
// the deployed limits are unchanged. It also sizes the notification consumers to the send rates the
// capacity model assumes for a deployment that takes such bursts (SANDBOX_SEND_RATES, as context
// `sesSendRatePerSecond`/`smsSendRatePerSecond` would): at a new account's 14 emails/s the acknowledgements
// could not reach the inbox faster than 14 a second, whatever the sandbox did.

import {
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { limits } from '../../infra/tools/capacity/limits.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';
import { complaint, drained } from './cost.ts';
import { type BenchTable, percentile, progress, verdict } from './report.ts';

const burst = Number(process.env.BENCH_BURST ?? 300);
const ceilingSeconds = Number(process.env.BENCH_CEILING_SECONDS ?? 5);
const sandboxThrottle = '100000:100000';
const sendRates = `${limits.sesSendRate.value}:${limits.smsSendRate.value}`;
const casesPerSecondTarget = 20;
const receivedCheckMs = 30_000;
/** Issue 11 item 3: a case submitted to an idle sandbox is classified within this, at p95. */
const idleIntakeTargetMs = 2_000;
const idleCases = Number(process.env.BENCH_IDLE_CASES ?? 20);
const giveUpMs = 180_000;

interface Submission {
  email: string;
  startedAt: number;
  ms: number;
  status: number;
  caseId?: string;
  token?: string;
  ackAt?: number;
  error?: string;
}

/** Polls the SES emulator's store for the first email to each address, until all came or time ran out. */
async function watchInbox(sandbox: SandboxProcess, wanted: Map<string, Submission>, until: () => boolean) {
  let since = Math.floor(Date.now() / 1000) - 1;
  while (!until()) {
    const polledAt = Date.now();
    const store = (await (await fetch(`${sandbox.sesUrl}/store?since=${since}`)).json()) as {
      emails: Array<{ destination: { to: string[] } }>;
    };
    for (const email of store.emails) {
      for (const to of email.destination.to) {
        const submission = wanted.get(to);
        if (submission && submission.ackAt === undefined) submission.ackAt = polledAt;
      }
    }
    since = Math.floor(polledAt / 1000) - 1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stillReceived(sandbox: SandboxProcess, submissions: Submission[]): Promise<number> {
  const statuses = await Promise.all(
    submissions
      .filter((submission) => submission.caseId)
      .map(async (submission) => {
        const view = await sandbox.api('GET', `/cases/${submission.caseId}`, {
          headers: { 'X-Case-Token': submission.token! },
        });
        return view.body?.status as string | undefined;
      }),
  );
  return statuses.filter((status) => status === 'received').length;
}

/**
 * Submits `idleCases` complaints one after another to an otherwise idle sandbox, each timed from its
 * `POST /cases` until `GET /cases/{id}` shows it `open` (polled every 50 ms), with a pause between them.
 */
async function idleIntake(sandbox: SandboxProcess, run: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < idleCases; n += 1) {
    const startedAt = performance.now();
    const submitted = await sandbox.api('POST', '/cases', {
      body: complaint(`idle.${run}.${n}@example.com`),
    });
    if (submitted.status !== 201) throw new Error(`An idle-intake case answered ${submitted.status}`);
    for (;;) {
      const view = await sandbox.api('GET', `/cases/${submitted.body.caseId}`, {
        headers: { 'X-Case-Token': submitted.body.accessToken },
      });
      if (view.body?.status === 'open') break;
      if (performance.now() - startedAt > 30_000)
        throw new Error(`Idle-intake case ${n} not open after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    times.push(performance.now() - startedAt);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return times;
}

/** Runs `operation` from `workers` loops for `seconds`; operations a second. */
async function rate(seconds: number, workers: number, operation: (n: number) => Promise<unknown>) {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let n = 0; performance.now() < until; n += 1) {
        await operation(worker * 1_000_000 + n);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - startedAt) / 1000);
}

async function ceiling(dynamodbUrl: string): Promise<{ transactions: number; puts: number; table: string }> {
  const client = new DynamoDBClient({
    endpoint: dynamodbUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    const table = (await client.send(new ListTablesCommand({}))).TableNames?.[0];
    if (!table) throw new Error('The sandbox has no table');
    const run = Date.now();
    const item = (pk: string, sk: string, bytes: number) => ({
      pk: { S: pk },
      sk: { S: sk },
      entity: { S: 'bench' },
      payload: { S: 'x'.repeat(bytes) },
    });
    // A case change's shape: the case record, a timeline entry, an outbox item and a counter.
    const transactions = await rate(ceilingSeconds, 16, (n) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: item(`BENCH#${run}#${n}`, 'CASE', 1700) } },
            { Put: { TableName: table, Item: item(`BENCH#${run}#${n}`, 'TL#1', 300) } },
            { Put: { TableName: table, Item: item(`BENCH#${run}#${n}`, 'OUTBOX#1', 300) } },
            { Put: { TableName: table, Item: item(`BENCH#${run}#${n}`, 'COUNTER', 100) } },
          ],
        }),
      ),
    );
    const puts = await rate(ceilingSeconds, 16, (n) =>
      client.send(
        new PutItemCommand({ TableName: table, Item: item(`BENCH#${run}#put#${n}`, 'CASE', 2000) }),
      ),
    );
    return { transactions, puts, table };
  } finally {
    client.destroy();
  }
}

export async function burstTable(): Promise<BenchTable> {
  progress(`Burst: starting a sandbox (gateway throttle ${sandboxThrottle}, send rates ${sendRates}/s)…`);
  const sandbox = await startSandboxProcess({
    SANDBOX_API_THROTTLE: sandboxThrottle,
    SANDBOX_SEND_RATES: sendRates,
  });
  try {
    const run = Date.now();
    // One case first, so the first import of each handler is not part of the burst.
    const warm = await sandbox.api('POST', '/cases', { body: complaint(`burst.${run}.warm@example.com`) });
    if (warm.status !== 201) throw new Error(`The warm-up case answered ${warm.status}`);
    await drained(sandbox, 'the warm-up case');
    progress(`  ${idleCases} cases one after another on the idle sandbox…`);
    const idleMs = await idleIntake(sandbox, run);
    await drained(sandbox, 'the idle-intake cases');

    progress(`  ${burst} concurrent submissions…`);
    const submissions: Submission[] = Array.from({ length: burst }, (_, n) => ({
      email: `burst.${run}.${n}@example.com`,
      startedAt: 0,
      ms: 0,
      status: 0,
    }));
    const byEmail = new Map(submissions.map((submission) => [submission.email, submission]));
    const t0 = Date.now();
    let submitted = false;
    const allAcknowledged = () =>
      submitted &&
      submissions.every((submission) => submission.status !== 201 || submission.ackAt !== undefined);
    const inbox = watchInbox(sandbox, byEmail, () => allAcknowledged() || Date.now() - t0 > giveUpMs);
    let receivedAt30s: number | null = null;
    const check = (async () => {
      await new Promise((resolve) => setTimeout(resolve, receivedCheckMs));
      receivedAt30s = await stillReceived(sandbox, submissions);
    })();
    await Promise.all(
      submissions.map(async (submission) => {
        submission.startedAt = Date.now();
        const answer = await sandbox.api('POST', '/cases', { body: complaint(submission.email) });
        submission.ms = Date.now() - submission.startedAt;
        submission.status = answer.status;
        submission.caseId = answer.body?.caseId;
        submission.token = answer.body?.accessToken;
        submission.error = answer.body?.error?.code;
      }),
    );
    submitted = true;
    progress(`  submitted in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for the acknowledgements…`);
    await inbox;
    await check;
    // The ceiling is the emulator's, not the backlog's: let the sandbox's work settle first.
    await drained(sandbox, 'the queues after the burst').catch(() =>
      progress('  (queues still busy after 60 s)'),
    );
    progress('  measuring DynamoDB Local’s ceiling…');
    const limit = await ceiling(sandbox.dynamodbUrl);

    const created = submissions.filter((submission) => submission.status === 201);
    const others = submissions.filter((submission) => submission.status !== 201);
    const acked = created.filter((submission) => submission.ackAt !== undefined);
    const ackMs = acked.map((submission) => submission.ackAt! - submission.startedAt);
    const lastAck = Math.max(...acked.map((submission) => submission.ackAt!));
    const casesPerSecond = acked.length / ((lastAck - t0) / 1000);
    const submitMs = submissions.map((submission) => submission.ms);
    if (others.length > 0) progress(sandbox.output().slice(-4000));
    const statusList =
      Object.entries(
        others.reduce<Record<string, number>>((tally, submission) => {
          const key = `${submission.status} ${submission.error ?? ''}`.trim();
          tally[key] = (tally[key] ?? 0) + 1;
          return tally;
        }, {}),
      )
        .map(([status, count]) => `${count} × ${status}`)
        .join(', ') || 'none';
    const rateMet =
      created.length > 0 && casesPerSecond >= casesPerSecondTarget && acked.length === created.length;
    const allCreated = others.length === 0;
    const noneStuck = created.length > 0 && receivedAt30s === 0;
    const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
    const idleMet = percentile(idleMs, 0.95) <= idleIntakeTargetMs;
    const text = [
      `| burst of ${burst} | figure | target | met |`,
      '|---|---:|---|---|',
      `| submit p50 / p95 | ${s(percentile(submitMs, 0.5))} / ${s(percentile(submitMs, 0.95))} | — | — |`,
      `| acknowledgement p50 / p95 / max | ${s(percentile(ackMs, 0.5))} / ${s(percentile(ackMs, 0.95))} / ${s(Math.max(...ackMs))} | — | — |`,
      `| acknowledged | ${acked.length} of ${created.length} created | all | ${verdict(created.length > 0 && acked.length === created.length)} |`,
      `| cases/s to the inbox | ${acked.length > 0 ? casesPerSecond.toFixed(1) : '—'} | ≥ ${casesPerSecondTarget} | ${verdict(rateMet)} |`,
      `| answered 201 | ${created.length} (others: ${statusList}) | all ${burst} | ${verdict(allCreated)} |`,
      `| still \`received\` 30 s after the burst began | ${receivedAt30s ?? 'not checked'} of ${created.length} created | 0 | ${verdict(noneStuck)} |`,
      `| DynamoDB Local: 4-item TransactWriteItems/s | ${limit.transactions.toFixed(0)} | — | — |`,
      `| DynamoDB Local: 2 KB PutItem/s | ${limit.puts.toFixed(0)} | — | — |`,
      `| cases/s ÷ transactions/s | ${(casesPerSecond / limit.transactions).toFixed(2)} | — | — |`,
      `| before the burst, one case at a time on the idle sandbox: submit to \`open\`, p50 / p95 / max (${idleCases} in a row) | ${s(percentile(idleMs, 0.5))} / ${s(percentile(idleMs, 0.95))} / ${s(Math.max(...idleMs))} | p95 ≤ ${idleIntakeTargetMs / 1000} s | ${verdict(idleMet)} |`,
      '',
      `Burst: ${burst} \`POST /cases\` at once, each a complaint to its own address, after one warm-up case; acknowledgement = from sending the submit to the first poll (every 200 ms) of the SES emulator's store that shows the email; cases/s = acknowledged cases ÷ time from the burst's start to the last acknowledgement. The sandbox ran with its schedules and with its gateway throttle raised (SANDBOX_API_THROTTLE=${sandboxThrottle}; so the figure is the sandbox's own throughput; the stage's \`apiThrottle\`, a bucket of 500, also takes a 300-case burst), its notification consumers sized to ${sendRates} emails:SMS a second (SANDBOX_SEND_RATES, the capacity model's rates; at the default 14 emails/s no acknowledgement stream could pass 14 a second).`,
      `Ceiling: the sandbox's own DynamoDB Local and table (\`${limit.table}\`), once the burst's work has drained, 16 concurrent callers for ${ceilingSeconds} s each: transactions of 4 puts (1.7 KB, 300 B, 300 B, 100 B), and single 2 KB puts.`,
      `Idle intake: after the warm-up case and before the burst, ${idleCases} complaints one after another (300 ms apart), each timed from its \`POST /cases\` until \`GET /cases/{id}\` shows it \`open\` (with its team), polled every 50 ms.`,
      `Target (≥ ${casesPerSecondTarget} cases/s to the inbox, every request answered 201, none left \`received\` after 30 s; on an idle sandbox, classified in ≤ ${idleIntakeTargetMs / 1000} s at p95): ${verdict(rateMet && allCreated && noneStuck && idleMet)}.`,
    ].join('\n');
    return { title: 'Burst', text, met: rateMet && allCreated && noneStuck && idleMet };
  } finally {
    await sandbox.stop();
  }
}
