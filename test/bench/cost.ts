// Cost per case: one case's whole life (submit, acknowledgement, assign, reply, plan, resolve, survey,
// feedback, close) driven over HTTP through a sandbox started with SANDBOX_COUNT_CALLS=1, so counting
// proxies stand in front of DynamoDB Local, SQS and SES, and the sandbox's Lambda runtime counts the
// invocations. Schedules are off (SANDBOX_SCHEDULES=off): the survey job runs once, on request, so the
// per-minute sweep does not leak into one case's figures; its cost is in the fixed monthly cost.
//   BENCH_STAFF_MAU=50 (default): staff users a month, for the Cognito line of the fixed cost
import { inParallel } from '#adapters/in-parallel';
import { queues } from '#shared/work-queues';
import { functions } from '../../infra/catalogue.ts';
import {
  perCase,
  type SandboxCounts,
  type SubmitGroup,
  writeMeasuredPerCase,
} from '../../infra/tools/capacity/measured.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';
import { billedWriteUnits, costOf, fixedMonthlyCost, type IdleRun, lessIdleRuns, prices } from './prices.ts';
import { type BenchTable, progress, verdict } from './report.ts';

/** What `GET /_sandbox/counts` answers. */
type Counts = SandboxCounts & { counting: boolean };

/** How many submissions the capacity check and the measured group make at once. */
export const checkConcurrency = Number(process.env.BENCH_CHECK_CONCURRENCY ?? 4);
/** The group the capacity model's per-case counts are measured over (measured.ts, submitToAcknowledgement). */
const measuredGroup: SubmitGroup = { cases: 20, concurrency: checkConcurrency };
/**
 * Whole lifecycles run together, for the cost per case when cases share batches (a busy hour): the
 * table stream's batches, the queues' batches, the report counters' transactions.
 *   BENCH_COST_GROUP=20 (default): how many; 0 leaves the group out
 */
const lifecycleGroup: SubmitGroup = {
  cases: Number(process.env.BENCH_COST_GROUP ?? 20),
  concurrency: checkConcurrency,
};

const writeUnitTarget = 110;
const dollarTarget = 0.06;

/** Waits until every queue is empty and nothing is in flight, twice in a row. */
export async function drained(sandbox: SandboxProcess, what: string): Promise<void> {
  let quiet = 0;
  await sandbox.waitFor(
    async () => {
      const { body } = await sandbox.api('GET', '/_sandbox/queues');
      const idle = (body.queues as Array<{ visible: number; inFlight: number; delayed: number }>).every(
        (queue) => queue.visible + queue.inFlight + queue.delayed === 0,
      );
      quiet = idle ? quiet + 1 : 0;
      return quiet >= 2;
    },
    what,
    60_000,
  );
}

/**
 * Submits `cases` complaints, `concurrency` at a time, each to its own address; the number not answered
 * 201. The caller waits for the queues to drain.
 */
export async function submitGroup(sandbox: SandboxProcess, group: SubmitGroup, tag: string): Promise<number> {
  let next = 0;
  let refused = 0;
  const stamp = Date.now();
  await Promise.all(
    Array.from({ length: group.concurrency }, async () => {
      while (next < group.cases) {
        const n = next;
        next += 1;
        const answer = await sandbox.api('POST', '/cases', {
          body: complaint(`${tag}.${stamp}.${n}@example.com`),
          headers: { 'Idempotency-Key': `${tag}-${stamp}-${n}` },
        });
        if (answer.status !== 201) refused += 1;
      }
    }),
  );
  return refused;
}

export function complaint(email: string) {
  return {
    type: 'complaint',
    subject: '快递员态度恶劣',
    description: '派送时快递员对我大声辱骂，还把包裹扔在门口。',
    trackingNumber: 'SF1234567890123',
    customer: { name: '张三', email, locale: 'zh-CN' },
    consent: { dataProcessing: true },
  };
}

/** The counts of one lifecycle step: the tally after it, less the tally before it. */
export interface StepCounts {
  step: string;
  calls: Record<string, number>;
  readUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: Record<string, number>;
}

const less = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([name, value]) => [name, value - (before[name] ?? 0)] as const)
      .filter(([, value]) => value !== 0),
  );

export function stepCounts(step: string, after: Counts, before: Counts | undefined): StepCounts {
  const was = before?.dynamodb;
  return {
    step,
    calls: less(after.dynamodb.calls, was?.calls ?? {}),
    readUnits: after.dynamodb.readUnits - (was?.readUnits ?? 0),
    tableWriteUnits: after.dynamodb.tableWriteUnits - (was?.tableWriteUnits ?? 0),
    indexWriteUnits: less(after.dynamodb.indexWriteUnits, was?.indexWriteUnits ?? {}),
  };
}

/**
 * Drives `group.cases` complaints through their whole life, `group.concurrency` at a time within each
 * step, every step over HTTP and the queues drained after it: the counts of the whole group, and per step.
 * One case alone (the default) pays every batch's fixed work itself; a group shares it as a busy hour does.
 */
async function lifecycle(
  sandbox: SandboxProcess,
  group: SubmitGroup = { cases: 1, concurrency: 1 },
): Promise<{ counts: Counts; steps: string[]; perStep: StepCounts[] }> {
  const stamp = Date.now();
  const agent = sandbox.token('agent', 'alice', 'alice@carrier.example');
  const supervisor = sandbox.token('supervisor', 'sue', 'sue@carrier.example');
  const steps: string[] = [];
  const perStep: StepCounts[] = [];
  let last: Counts | undefined;
  // Every step ends with the queues drained, so the tally read then holds all the work it caused.
  const counted = async (step: string) => {
    const now = (await sandbox.api('GET', '/_sandbox/counts')).body as Counts;
    perStep.push(stepCounts(step, now, last));
    last = now;
    steps.push(step);
    return now;
  };
  const expect = (step: string, status: number, wanted: number) => {
    if (status !== wanted) throw new Error(`${step} answered ${status}, not ${wanted}`);
  };
  const emails = Array.from({ length: group.cases }, (_, n) => `cost.${stamp}.${n}@example.com`);
  const cases: Array<{ email: string; caseId: string; caseToken: string }> = [];
  const eachCase = (each: (one: (typeof cases)[number]) => Promise<void>) =>
    inParallel(cases, group.concurrency, each);
  const agentStep = async (step: string, route: string, body: unknown, wanted: number[], token = agent) => {
    await eachCase(async ({ caseId }) => {
      const answer = await sandbox.api('POST', `/agent/cases/${caseId}${route}`, { token, body });
      expect(step, answer.status, wanted.includes(answer.status) ? answer.status : (wanted[0] as number));
    });
    await drained(sandbox, `the ${step}`);
    await counted(step);
  };

  await sandbox.api('DELETE', '/_sandbox/counts');
  await inParallel(emails, group.concurrency, async (email) => {
    const submitted = await sandbox.api('POST', '/cases', {
      body: complaint(email),
      headers: { 'Idempotency-Key': `cost-${email}` },
    });
    expect('submit', submitted.status, 201);
    cases.push({
      email,
      caseId: submitted.body.caseId as string,
      caseToken: submitted.body.accessToken as string,
    });
  });
  await counted('submit');
  await drained(sandbox, 'the acknowledgements');
  for (const { email } of cases) {
    if ((await sandbox.emailsTo(email)).length !== 1) throw new Error(`No acknowledgement reached ${email}`);
  }
  await counted('acknowledgement');
  await agentStep('assign', '/assign', {}, [200]);
  await agentStep('reply', '/reply', { message: '您好，我们已联系网点负责人核实情况。' }, [201]);
  await agentStep('plan', '/plan', { message: '网点负责人今天内联系快递员并回复您。' }, [201, 200]);
  await agentStep('resolve', '/resolve', { resolution: '已对快递员批评教育，并向您致歉。' }, [200]);
  // The survey goes out once its delay (the sandbox's default, 60 minutes) has passed and the per-minute
  // job runs: the clock moves to 30 s past it, where a job that runs every minute finds it.
  await sandbox.api('POST', '/_sandbox/clock', { body: { advance: 'PT1H30S' } });
  const survey = await sandbox.api('POST', '/_sandbox/jobs/survey-dispatch');
  expect('survey', survey.status, 200);
  await drained(sandbox, 'the survey emails');
  await counted('survey');
  await eachCase(async ({ caseId, caseToken }) => {
    const feedback = await sandbox.api('POST', `/cases/${caseId}/feedback`, {
      body: { score: 5, nps: 9 },
      headers: { 'X-Case-Token': caseToken },
    });
    expect('feedback', feedback.status, 201);
  });
  await drained(sandbox, 'the feedback');
  await counted('feedback');
  await agentStep('close', '/close', {}, [200], supervisor);
  const counts = last as Counts;
  if (!counts.counting) throw new Error('The sandbox did not count calls (SANDBOX_COUNT_CALLS=1)');
  return { counts, steps, perStep };
}

const sum = (values: Record<string, number>) =>
  Object.values(values).reduce((total, value) => total + value, 0);
const listed = (values: Record<string, number>) =>
  Object.entries(values)
    .sort(([, a], [, b]) => b - a)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ') || 'none';
const dollars = (value: number) => `$${value.toFixed(value < 0.1 ? 4 : 3)}`;

/** Where the units go: one row per lifecycle step, one column per index. */
export function stepTable(perStep: StepCounts[]): string[] {
  const indexes = [...new Set(perStep.flatMap((step) => Object.keys(step.indexWriteUnits)))].sort();
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const plus = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      [...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)]),
    );
  const total = perStep.reduce<StepCounts>(
    (all, step) => ({
      step: 'whole life',
      calls: plus(all.calls, step.calls),
      readUnits: all.readUnits + step.readUnits,
      tableWriteUnits: all.tableWriteUnits + step.tableWriteUnits,
      indexWriteUnits: plus(all.indexWriteUnits, step.indexWriteUnits),
    }),
    { step: 'whole life', calls: {}, readUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} },
  );
  return [
    row(['per step', 'calls', 'read units', 'table WU', ...indexes.map((name) => `${name} WU`), 'WU total']),
    row(['---', '---', ...Array(indexes.length + 3).fill('---:')]),
    ...[...perStep, total].map((step) => {
      const indexUnits = sum(step.indexWriteUnits);
      return row([
        step.step,
        `${sum(step.calls)} (${listed(step.calls)})`,
        step.readUnits,
        step.tableWriteUnits,
        ...indexes.map((name) => step.indexWriteUnits[name] ?? 0),
        step.tableWriteUnits + indexUnits,
      ]);
    }),
  ];
}

/** What a lifecycle's counts come to: write units, invocations, SQS requests and dollars. */
interface Usage {
  /** Table and index write units as DynamoDB Local reports them (the issue's measure). */
  writeUnits: number;
  /** The same with every transaction item at 2 units a KB, as DynamoDB bills it (a lower bound). */
  billedWriteUnits: number;
  /** Read units with every read at its billed minimum. */
  readUnits: number;
  invocations: number;
  queueBatches: number;
  sqsRequests: number;
  /** Priced as DynamoDB bills: billed write units, read minimums, scheduled runs at their margin. */
  cost: ReturnType<typeof costOf>;
  /** Priced as this table did until 2026-11-30 10:30: DynamoDB Local's units, every run whole. */
  costAsReported: ReturnType<typeof costOf>;
}

/** What `lived` lives came to, per case; `idle` is each scheduled function's idle run. */
function usageOf(lived: SandboxCounts, idle: ReadonlyMap<string, IdleRun>, cases = 1): Usage {
  const counts = perCase(lived, cases);
  const dynamo = counts.dynamodb;
  const writeUnits = dynamo.tableWriteUnits + sum(dynamo.indexWriteUnits);
  const invocations = sum(
    Object.fromEntries(Object.entries(counts.lambda).map(([n, t]) => [n, t.invocations])),
  );
  const queueBatches = Object.entries(counts.lambda)
    .filter(([name]) => functions.find((fn) => fn.name === name)?.trigger.kind === 'queue')
    .reduce((total, [, tally]) => total + tally.invocations, 0);
  // The event sources' receive and delete of each batch they deliver (the sandbox polls the emulator itself).
  const sqsRequests = sum(counts.sqs) + 2 * queueBatches;
  const marginal = perCase(lessIdleRuns(lived, idle), cases);
  const billed = billedWriteUnits(dynamo);
  const cost = costOf({
    readUnits: marginal.dynamodb.readUnitsAtLeast,
    writeUnits: billed,
    sqsRequests,
    lambda: marginal.lambda,
    emails: counts.emails,
  });
  const costAsReported = costOf({
    readUnits: dynamo.readUnits,
    writeUnits,
    sqsRequests,
    lambda: counts.lambda,
    emails: counts.emails,
  });
  return {
    writeUnits,
    billedWriteUnits: billed,
    readUnits: marginal.dynamodb.readUnitsAtLeast,
    invocations,
    queueBatches,
    sqsRequests,
    cost,
    costAsReported,
  };
}

export async function costTable(): Promise<BenchTable> {
  progress('Cost per case: starting a sandbox that counts calls…');
  const sandbox = await startSandboxProcess({ SANDBOX_COUNT_CALLS: '1', SANDBOX_SCHEDULES: 'off' });
  let result: Awaited<ReturnType<typeof lifecycle>>;
  let group: SandboxCounts;
  let together: Counts | undefined;
  const scheduled = functions.flatMap((fn) =>
    fn.trigger.kind === 'schedule' ? [{ fn, ...fn.trigger }] : [],
  );
  /** Each scheduled function's idle run (by function name), and each job's (by job name). */
  const idleRuns = new Map<string, IdleRun>();
  const idleJobs = new Map<string, IdleRun>();
  try {
    // Each scheduled job on the empty table: what a run costs when there is nothing to do. The second of
    // two runs counts, as a minute's run finds its function warm.
    for (const { fn, job } of scheduled) {
      for (const run of [1, 2]) {
        await sandbox.api('DELETE', '/_sandbox/counts');
        const ran = await sandbox.api('POST', `/_sandbox/jobs/${job}`);
        if (ran.status !== 200) throw new Error(`The ${job} job answered ${ran.status}`);
        if (run === 1) continue;
        const idle = (await sandbox.api('GET', '/_sandbox/counts')).body as Counts;
        const measured = {
          readUnits: idle.dynamodb.readUnitsAtLeast,
          queries: (idle.dynamodb.calls.Query ?? 0) + (idle.dynamodb.calls.Scan ?? 0),
          ms: idle.lambda[fn.name]?.ms ?? 0,
        };
        idleJobs.set(job, measured);
        idleRuns.set(fn.name, measured);
      }
    }
    progress('  driving one case through its whole life…');
    result = await lifecycle(sandbox);
    progress(
      `  ${measuredGroup.cases} cases to their acknowledgements, ${measuredGroup.concurrency} at a time (the capacity model's per-case counts)…`,
    );
    await sandbox.api('DELETE', '/_sandbox/counts');
    const refused = await submitGroup(sandbox, measuredGroup, 'group');
    if (refused > 0) throw new Error(`${refused} of the group's submissions were not answered 201`);
    await drained(sandbox, "the group's acknowledgements");
    group = (await sandbox.api('GET', '/_sandbox/counts')).body as SandboxCounts;
    if (lifecycleGroup.cases > 0) {
      progress(
        `  ${lifecycleGroup.cases} cases through their whole lives together, ${lifecycleGroup.concurrency} at a time…`,
      );
      together = (await lifecycle(sandbox, lifecycleGroup)).counts;
    }
  } finally {
    await sandbox.stop();
  }
  const { counts, steps, perStep } = result;
  await writeMeasuredPerCase({
    wholeLifecycle: counts,
    submitToAcknowledgement: perCase(group, measuredGroup.cases),
    submitGroup: measuredGroup,
    steps,
  });
  const dynamo = counts.dynamodb;
  const calls = sum(dynamo.calls);
  const transactions = (dynamo.calls.TransactWriteItems ?? 0) + (dynamo.calls.TransactGetItems ?? 0);
  const indexWrites = sum(dynamo.indexWriteUnits);
  const alone = usageOf(counts, idleRuns);
  const { writeUnits, billedWriteUnits: billed, invocations, queueBatches, sqsRequests, cost } = alone;
  const shared = together ? usageOf(together, idleRuns, lifecycleGroup.cases) : undefined;
  const besideShared = (figure: (usage: Usage) => string) => (shared ? ` | ${figure(shared)}` : '');
  // Met when both measures are: the issue's (DynamoDB Local's units) and what DynamoDB bills.
  const writesMet = writeUnits <= writeUnitTarget && billed <= writeUnitTarget;
  const dollarsMet = cost.excludingMessaging <= dollarTarget;
  const staffMau = Number(process.env.BENCH_STAFF_MAU ?? 50);
  const fixed = fixedMonthlyCost({
    functions: functions.length,
    queues: queues.length,
    streamTriggers: functions.filter((fn) => fn.trigger.kind === 'tableStream').length,
    streamFailureQueues: new Set(
      functions.flatMap((fn) => (fn.trigger.kind === 'tableStream' ? [fn.trigger.onFailure] : [])),
    ).size,
    schedules: scheduled.map(({ fn, job, everyMinutes }) => {
      const idle = idleJobs.get(job);
      if (!idle) throw new Error(`No idle run of ${job} was measured`);
      return { name: job, everyMinutes, memoryMb: fn.memoryMb, idle };
    }),
    staffMau,
  });
  const fixedTotal = fixed.reduce((total, line) => total + line.monthly, 0);
  const text = [
    '| per case lifecycle | figure | target | met |',
    '|---|---:|---|---|',
    `| DynamoDB calls | ${calls} (${transactions} transactions; ${listed(dynamo.calls)}) | — | — |`,
    `| DynamoDB calls refused (conditions) | ${sum(dynamo.failed)} (${listed(dynamo.failed)}) | — | — |`,
    `| read units | ${dynamo.readUnits} as DynamoDB Local reports; ${alone.readUnits} billed (every read at its minimum, less the sweep's idle run) | — | — |`,
    `| table write units | ${dynamo.tableWriteUnits} | — | — |`,
    `| index write units | ${indexWrites} (${listed(dynamo.indexWriteUnits)}) | — | — |`,
    `| write units, table + indexes, as DynamoDB Local reports them (the issue's measure) | ${writeUnits} | ≤ ${writeUnitTarget} | ${verdict(writeUnits <= writeUnitTarget)} |`,
    `| write units as DynamoDB bills them: each transaction item at 2 units a KB (DynamoDB Local adds each distinct item size once) | ≥ ${billed} (${dynamo.transactionItems} items in ${transactions} transactions: DynamoDB Local reported ${dynamo.transactionTableWriteUnits} table units for them, DynamoDB bills at least ${dynamo.transactionTableWriteUnitsBilled}) | ≤ ${writeUnitTarget} | ${verdict(billed <= writeUnitTarget)} |`,
    `| the same, index writes of transactions at 1× | ≥ ${billed - dynamo.transactionIndexWriteUnits / 2} (${dynamo.transactionIndexWriteUnits} of the index units came from transactions) | — | — |`,
    `| SQS requests | ${sqsRequests} (functions: ${listed(counts.sqs)}; event sources: ${queueBatches} batches × receive + delete) | — | — |`,
    `| Lambda invocations | ${invocations} (${listed(Object.fromEntries(Object.entries(counts.lambda).map(([n, t]) => [n, t.invocations])))}) | — | — |`,
    `| emails | ${counts.emails} | — | — |`,
    '',
    ...stepTable(perStep),
    '',
    `| $ per 1,000 cases (us-east-1, on-demand) | one case alone${shared ? ` | per case, ${lifecycleGroup.cases} lives together (not the target's)` : ''} | target | met |`,
    `|---|---:${shared ? '|---:' : ''}|---|---|`,
    `| write units: as DynamoDB Local reports; as DynamoDB bills | ${writeUnits}; ${billed}${besideShared((usage) => `${usage.writeUnits.toFixed(1)}; ${usage.billedWriteUnits.toFixed(1)}`)} | — | — |`,
    `| read units billed | ${alone.readUnits}${besideShared((usage) => usage.readUnits.toFixed(1))} | — | — |`,
    `| Lambda invocations; SQS requests | ${invocations}; ${sqsRequests}${besideShared((usage) => `${usage.invocations.toFixed(1)}; ${usage.sqsRequests.toFixed(1)}`)} | — | — |`,
    `| DynamoDB (billed units) | ${dollars(cost.dynamodb)}${besideShared((usage) => dollars(usage.cost.dynamodb))} | — | — |`,
    `| Lambda (requests + GB-s at sandbox handler time; the sweep's run beyond an idle one) | ${dollars(cost.lambda)}${besideShared((usage) => dollars(usage.cost.lambda))} | — | — |`,
    `| SQS | ${dollars(cost.sqs)}${besideShared((usage) => dollars(usage.cost.sqs))} | — | — |`,
    `| excluding messaging | ${dollars(cost.excludingMessaging)}${besideShared((usage) => dollars(usage.cost.excludingMessaging))} | ≤ $${dollarTarget} | ${verdict(dollarsMet)} |`,
    `| excluding messaging, priced as before 2026-11-30 10:30 (DynamoDB Local's units, the sweep's whole run in the case) | ${dollars(alone.costAsReported.excludingMessaging)}${besideShared((usage) => dollars(usage.costAsReported.excludingMessaging))} | — | — |`,
    `| emails (SES) | ${dollars(cost.emails)}${besideShared((usage) => dollars(usage.cost.emails))} | — | — |`,
    `| with messaging | ${dollars(cost.withMessaging)}${besideShared((usage) => dollars(usage.cost.withMessaging))} | — | — |`,
    `| beside: X-Ray, one trace per invocation (not in the totals) | ${dollars(cost.xray)}${besideShared((usage) => dollars(usage.cost.xray))} | — | — |`,
    '',
    '| fixed monthly cost (no cases) | $ a month | basis |',
    '|---|---:|---|',
    ...fixed.map((line) => `| ${line.item} | ${line.monthly.toFixed(2)} | ${line.basis} |`),
    `| total | ${fixedTotal.toFixed(2)} | |`,
    '',
    `Lifecycle: ${steps.join(', ')}; one complaint with an email address only (no SMS), every step over HTTP, queues drained after each. The survey step advances the sandbox clock 60 min 30 s (the survey's delay, and the half minute in which the per-minute job finds it) and runs \`survey-dispatch\` once: the sweep runs every minute anyway and the fixed cost prices an idle run, so the dollars count only what this run did beyond an idle one (measured first, the second of two runs on the empty sandbox); the call counts above hold the whole run.`,
    ...(shared
      ? [
          `Together: the same lifecycle for ${lifecycleGroup.cases} complaints at once, each step ${lifecycleGroup.concurrency} requests at a time and the queues drained after it, every figure divided by ${lifecycleGroup.cases}: what a busy hour pays per case, where the table stream's, the queues' and the report counters' batches hold many changes. The target is judged on one case alone, what a quiet hour pays.`,
        ]
      : []),
    'Per step: the tally read when the step is done and the queues are drained, less the tally before it (submit is read as its 201 returns: intake may already have begun, so a few of its calls can fall into that row rather than acknowledgement). WU: write units.',
    `Units: the counting proxy adds \`ReturnConsumedCapacity: INDEXES\` to every call, and DynamoDB Local answers with table and per-index units. It reports a transaction at twice the units of each distinct item size, once, where DynamoDB bills every item of it at 2 units a KB; the billed row recounts each item from the request (a put at its size, an update, delete or condition check at 1 KB, so it is a lower bound), and the dollars are priced on it. DynamoDB Local reports 0 for a read that finds nothing, which DynamoDB bills at its minimum (0.5 unit, 1 strongly consistent): the dollars price that. DynamoDB Local doubles a transaction's index writes as well; AWS's pricing pages do not say whether index propagation of a transactional write is billed twice, so a row gives the figure with it billed once.${dynamo.unreported > 0 ? ` ${dynamo.unreported} call(s) reported no capacity: their units are missing.` : ''} Refused calls (conditional check failed, transaction cancelled) cost write units in DynamoDB but report none: they are counted as calls only.`,
    "SQS: the functions' requests as counted at the proxy, plus one ReceiveMessage and one DeleteMessageBatch per batch the event sources delivered (the sandbox polls the emulator directly). KMS requests for the encrypted table and queues are cached data keys: in the fixed cost.",
    `Prices: ${prices.asOf}; test/bench/prices.ts lists them with their sources.`,
    `Target (≤ ${writeUnitTarget} write units per case lifecycle, ≤ $${dollarTarget} per 1,000 cases excluding messaging): ${verdict(writesMet && dollarsMet)}.`,
  ].join('\n');
  return { title: 'Cost per case', text, met: writesMet && dollarsMet };
}
