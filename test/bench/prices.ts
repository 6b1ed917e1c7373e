// The list prices the cost table uses, and the arithmetic from one case's counted calls to $ per 1,000
// cases, and from the stack's shape to its fixed monthly cost.
//
// Source: the AWS pricing pages for us-east-1, on-demand, without free tiers:
//   aws.amazon.com/dynamodb/pricing/on-demand, /lambda/pricing, /sqs/pricing, /ses/pricing,
//   /xray/pricing, /cloudwatch/pricing, /kms/pricing, /secrets-manager/pricing, /cognito/pricing.
// As published on 2025-06 (DynamoDB on-demand after the November 2024 price cut); not re-checked on the
// day of the run, as this machine has no internet: check the pages before quoting a figure outside.
import type { SandboxCounts } from '../../infra/tools/capacity/measured.ts';

export const prices = {
  asOf: '2025-06 (AWS pricing pages, us-east-1, on-demand list prices)',
  dynamodbWriteUnit: 0.625 / 1e6,
  dynamodbReadUnit: 0.125 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  /** Arm64, the stack's architecture. */
  lambdaGbSecond: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  sesEmail: 0.1 / 1000,
  xrayTrace: 5 / 1e6,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  kmsKeyMonth: 1,
  kmsRequest: 0.03 / 10_000,
  secretMonth: 0.4,
  secretsManagerCall: 0.05 / 10_000,
  /** Cognito Plus, the stack's feature plan: every monthly active user. */
  cognitoPlusMau: 0.02,
} as const;

export interface InvocationTally {
  invocations: number;
  ms: number;
  memoryMb: number;
}

/** One case's counted use of each service. */
export interface CaseUsage {
  readUnits: number;
  writeUnits: number;
  /** SQS requests: the functions' own plus the event sources' receive and delete. */
  sqsRequests: number;
  lambda: Record<string, InvocationTally>;
  emails: number;
}

export interface CaseCost {
  dynamodb: number;
  lambda: number;
  sqs: number;
  /** DynamoDB, Lambda and SQS: what the target counts. */
  excludingMessaging: number;
  emails: number;
  withMessaging: number;
  /** Active tracing, one trace per invocation; reported beside, not in, the totals. */
  xray: number;
}

/** $ for `cases` cases of this usage (for 1,000 cases, $ per 1,000 cases). */
export function costOf(usage: CaseUsage, cases = 1000): CaseCost {
  const invocations = Object.values(usage.lambda).reduce((sum, tally) => sum + tally.invocations, 0);
  const gbSeconds = Object.values(usage.lambda).reduce(
    (sum, tally) => sum + (tally.ms / 1000) * (tally.memoryMb / 1024),
    0,
  );
  const dynamodb = usage.readUnits * prices.dynamodbReadUnit + usage.writeUnits * prices.dynamodbWriteUnit;
  const lambda = invocations * prices.lambdaRequest + gbSeconds * prices.lambdaGbSecond;
  const sqs = usage.sqsRequests * prices.sqsRequest;
  const emails = usage.emails * prices.sesEmail;
  const excludingMessaging = dynamodb + lambda + sqs;
  return {
    dynamodb: dynamodb * cases,
    lambda: lambda * cases,
    sqs: sqs * cases,
    excludingMessaging: excludingMessaging * cases,
    emails: emails * cases,
    withMessaging: (excludingMessaging + emails) * cases,
    xray: invocations * prices.xrayTrace * cases,
  };
}

export interface StackShape {
  functions: number;
  queues: number;
  /** Table-stream triggers (CaseChangeCompleter): each alarmed on its iterator age. */
  streamTriggers: number;
  /** Their on-failure queues (`caseChangeFailures`): each alarmed when not empty. */
  streamFailureQueues: number;
  /** Scheduled jobs: how often each runs. */
  schedules: Array<{
    name: string;
    everyMinutes: number;
    memoryMb: number;
    /**
     * One run with nothing to do, as measured on the empty sandbox: its read units with every query billed
     * at least one read (DynamoDB bills a query that finds nothing), its queries and its handler time.
     */
    idle: { readUnits: number; queries: number; ms: number };
  }>;
  staffMau: number;
}

export interface FixedCost {
  item: string;
  monthly: number;
  basis: string;
}

const minutesPerMonth = 730 * 60;
/** The business metrics alarmed on their first count (case-monitoring.ts `businessMetricAlarms`). */
export const businessMetricAlarmCount = 5;

/** What the stack costs a month with no cases at all. */
export function fixedMonthlyCost(shape: StackShape): FixedCost[] {
  // Two alarms per queue (dead letters, oldest message), one per function (errors), one per table-stream
  // trigger (iterator age) and one per on-failure queue (not empty); then the API's server-error rate (a
  // metric-math alarm over two metrics), the outbox drain time (over four: each channel's backlog and
  // deletions), the SMS spend and the business metrics (case-monitoring.ts). test/infra/stack.test.ts
  // checks the count against the synthesized stack's alarms.
  const alarmMetrics =
    2 * shape.queues +
    shape.functions +
    shape.streamTriggers +
    shape.streamFailureQueues +
    2 +
    4 +
    1 +
    businessMetricAlarmCount;
  // Lambda's SQS event source: five pollers per queue at rest, each a 20 s long poll.
  const pollRequests = shape.queues * 5 * 3 * minutesPerMonth;
  const scheduleCosts = shape.schedules.map((schedule) => {
    const runs = minutesPerMonth / schedule.everyMinutes;
    const { idle } = schedule;
    const perRun =
      prices.lambdaRequest +
      (idle.ms / 1000) * (schedule.memoryMb / 1024) * prices.lambdaGbSecond +
      idle.readUnits * prices.dynamodbReadUnit;
    return {
      item: `schedule ${schedule.name}`,
      monthly: runs * perRun,
      basis: `${Math.round(runs).toLocaleString('en')} runs × (invocation + ${Math.round(idle.ms)} ms + ${idle.readUnits} read units: ${idle.queries} queries), an idle run as measured`,
    };
  });
  return [
    {
      item: 'CloudWatch alarms',
      monthly: alarmMetrics * prices.alarmMetricMonth,
      basis: `${alarmMetrics} alarm metrics`,
    },
    { item: 'CloudWatch dashboard', monthly: prices.dashboardMonth, basis: '1 dashboard' },
    {
      item: 'KMS key',
      monthly: prices.kmsKeyMonth + 4 * shape.queues * 8640 * prices.kmsRequest,
      basis: '1 customer-managed key; data keys reused 5 min per queue and principal',
    },
    {
      item: 'Secrets Manager secret',
      monthly: prices.secretMonth + shape.functions * 8640 * prices.secretsManagerCall,
      basis: '1 secret; ~1 read per function per 5 min of warm containers',
    },
    {
      item: 'Cognito (Plus plan)',
      monthly: shape.staffMau * prices.cognitoPlusMau,
      basis: `${shape.staffMau} staff monthly active users (BENCH_STAFF_MAU)`,
    },
    {
      item: 'SQS pollers at rest',
      monthly: pollRequests * prices.sqsRequest,
      basis: `${shape.queues} queues × 5 pollers × 3 long polls a minute`,
    },
    ...scheduleCosts,
  ];
}

/** Write units as DynamoDB bills them: DynamoDB Local's, with each transaction item at 2 units a KB. */
export function billedWriteUnits(dynamo: SandboxCounts['dynamodb']): number {
  const reported =
    dynamo.tableWriteUnits + Object.values(dynamo.indexWriteUnits).reduce((total, units) => total + units, 0);
  return reported - dynamo.transactionTableWriteUnits + dynamo.transactionTableWriteUnitsBilled;
}

/** One run of a scheduled job with nothing to do, as measured on the empty sandbox. */
export interface IdleRun {
  /** Read units, each query at its billed minimum. */
  readUnits: number;
  queries: number;
  ms: number;
}

/**
 * The counts less each scheduled function's runs at their idle cost. A schedule runs every minute whether
 * or not a case exists, and the fixed monthly cost prices those runs; a case pays only what its run did
 * beyond an idle one (its survey found and queued), or the run would be counted twice.
 */
export function lessIdleRuns(counts: SandboxCounts, idle: ReadonlyMap<string, IdleRun>): SandboxCounts {
  const lambda = { ...counts.lambda };
  let readUnitsAtLeast = counts.dynamodb.readUnitsAtLeast;
  const calls = { ...counts.dynamodb.calls };
  for (const [fn, run] of idle) {
    const tally = lambda[fn];
    if (!tally || tally.invocations === 0) continue;
    const runs = tally.invocations;
    lambda[fn] = { ...tally, invocations: 0, ms: Math.max(0, tally.ms - runs * run.ms) };
    readUnitsAtLeast = Math.max(counts.dynamodb.readUnits, readUnitsAtLeast - runs * run.readUnits);
    calls.Query = Math.max(0, (calls.Query ?? 0) - runs * run.queries);
  }
  return { ...counts, lambda, dynamodb: { ...counts.dynamodb, readUnitsAtLeast, calls } };
}
