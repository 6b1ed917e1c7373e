// Capacity model check: N cases submitted through a sandbox that counts calls, each taken to its
// acknowledgement, against what the capacity model predicts from the measured per-case counts
// (infra/tools/capacity/measured-per-case.json: the cost bench's group of cases submitted as this check
// submits them, at a fifteenth of its size). The model is trusted at scale only if it predicts the
// sandbox within 10 %.
//   BENCH_CHECK_CASES=300 (default): cases · BENCH_CHECK_CONCURRENCY=4 (default): submissions at once
import { readMeasuredPerCase, type SandboxCounts } from '../../infra/tools/capacity/measured.ts';
import { predictedRun } from '../../infra/tools/capacity/model.ts';
import { startSandboxProcess } from '../support/sandbox-process.ts';
import { checkConcurrency, drained, submitGroup } from './cost.ts';
import { type BenchTable, progress, verdict } from './report.ts';

const tolerance = 0.1;
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

export async function capacityCheckTable(): Promise<BenchTable> {
  const cases = Number(process.env.BENCH_CHECK_CASES ?? 300);
  const concurrency = checkConcurrency;
  const measured = await readMeasuredPerCase();
  progress(`Capacity check: ${cases} cases through a sandbox that counts calls…`);
  const sandbox = await startSandboxProcess({ SANDBOX_COUNT_CALLS: '1', SANDBOX_SCHEDULES: 'off' });
  let counts: SandboxCounts;
  let refused = 0;
  try {
    await sandbox.api('DELETE', '/_sandbox/counts');
    refused = await submitGroup(sandbox, { cases, concurrency }, 'check');
    await drained(sandbox, 'every acknowledgement');
    counts = (await sandbox.api('GET', '/_sandbox/counts')).body as SandboxCounts;
  } finally {
    await sandbox.stop();
  }
  const predicted = predictedRun(cases - refused, measured);
  const dynamo = counts.dynamodb;
  const measuredRun = {
    dynamodbCalls: sum(dynamo.calls),
    writeUnits: dynamo.tableWriteUnits + sum(dynamo.indexWriteUnits),
    sqsRequests: sum(counts.sqs),
    emails: counts.emails,
  };
  const lines = (Object.keys(predicted) as Array<keyof typeof predicted>).map((name) => {
    const error = predicted[name] === 0 ? 0 : Math.abs(measuredRun[name] - predicted[name]) / predicted[name];
    return { name, predicted: predicted[name], measured: measuredRun[name], error, met: error <= tolerance };
  });
  const met = refused === 0 && lines.every((line) => line.met);
  const text = [
    `| ${cases} cases, submit to acknowledgement | predicted | counted | off by | within ${tolerance * 100} % |`,
    '|---|---:|---:|---:|---|',
    ...lines.map(
      (line) =>
        `| ${line.name} | ${line.predicted} | ${line.measured} | ${(line.error * 100).toFixed(1)} % | ${verdict(line.met)} |`,
    ),
    '',
    `Predicted: ${cases - refused} × the submit-to-acknowledgement counts per case of ${measured.submitGroup.cases} cases submitted ${measured.submitGroup.concurrency} at a time by the cost bench (infra/tools/capacity/measured-per-case.json, ${measured.measuredAt}). ${refused} submission(s) not answered 201. SQS counts the functions' requests at the proxy (the event sources' receives are not proxied).`,
  ].join('\n');
  return { title: 'Capacity model check', text, met };
}
