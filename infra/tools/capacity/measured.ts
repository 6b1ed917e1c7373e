// The lifecycle's measured request counts: what the cost-per-case bench (`BENCH_TABLES=cost npm run -s
// bench`) counted at the sandbox's counting proxies for one case, written to measured-per-case.json
// beside this file so the capacity model reads measurements, not guesses.
import { readFile, writeFile } from 'node:fs/promises';
import type { CallCounts } from '../../sandbox/counting-proxy.ts';

/** What `GET /_sandbox/counts` answers: the proxies' tally and each function's invocations. */
export type SandboxCounts = CallCounts & {
  lambda: Record<string, { invocations: number; ms: number; memoryMb: number }>;
};

export type MeasuredPhase = Pick<SandboxCounts, 'dynamodb' | 'sqs' | 'lambda' | 'emails'>;

export interface MeasuredPerCase {
  measuredAt: string;
  /** The steps of the measured lifecycle, in order. */
  steps: string[];
  /** From `POST /cases` until the acknowledgement is in the inbox. */
  submitToAcknowledgement: MeasuredPhase;
  /** The whole life of one case, submit to close. */
  wholeLifecycle: MeasuredPhase;
}

export const measuredFile = new URL('./measured-per-case.json', import.meta.url);

const phase = (counts: SandboxCounts): MeasuredPhase => ({
  dynamodb: counts.dynamodb,
  sqs: counts.sqs,
  lambda: counts.lambda,
  emails: counts.emails,
});

export async function writeMeasuredPerCase(run: {
  wholeLifecycle: SandboxCounts;
  submitToAcknowledgement: SandboxCounts;
  steps: string[];
}): Promise<void> {
  const measured: MeasuredPerCase = {
    measuredAt: new Date().toISOString(),
    steps: run.steps,
    submitToAcknowledgement: phase(run.submitToAcknowledgement),
    wholeLifecycle: phase(run.wholeLifecycle),
  };
  await writeFile(measuredFile, `${JSON.stringify(measured, null, 2)}\n`);
}

export async function readMeasuredPerCase(): Promise<MeasuredPerCase> {
  return JSON.parse(await readFile(measuredFile, 'utf8')) as MeasuredPerCase;
}
