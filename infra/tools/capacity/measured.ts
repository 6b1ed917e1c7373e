// The lifecycle's measured request counts: what the cost-per-case bench (`BENCH_TABLES=cost npm run -s
// bench`) counted at the sandbox's counting proxies, written to measured-per-case.json beside this file
// so the capacity model reads measurements, not guesses: one case's whole life, and a group of cases
// taken to their acknowledgements together, per case.
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
  /**
   * From `POST /cases` until the acknowledgement is in the inbox: per case, over a group submitted a few
   * at a time (`submitGroup`), as load submits them. Work done per batch (the stream completer's read and
   * count, reads made at once) is shared by a batch's cases there, as it is at scale; one case alone pays
   * it whole, so a single case would overstate what cases cost in numbers.
   */
  submitToAcknowledgement: MeasuredPhase;
  /** The group `submitToAcknowledgement` was measured over. */
  submitGroup: SubmitGroup;
  /** The whole life of one case, submit to close. */
  wholeLifecycle: MeasuredPhase;
}

/** How many cases, and how many submitted at once. */
export interface SubmitGroup {
  cases: number;
  concurrency: number;
}

export const measuredFile = new URL('./measured-per-case.json', import.meta.url);

const divided = (values: Record<string, number>, n: number) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value / n]));

/** Every tally, a number or a record of numbers, divided by `n`, whatever it is called. */
function dividedTallies<T extends { [K in keyof T]: number | Record<string, number> }>(
  tallies: T,
  n: number,
): T {
  const each = { ...tallies };
  for (const name of Object.keys(each) as Array<keyof T>) {
    const tally = each[name];
    each[name] = (typeof tally === 'number' ? tally / n : divided(tally, n)) as T[keyof T];
  }
  return each;
}

/** Counts of `n` cases as the counts of one: every tally divided by `n` (memory sizes kept). */
export function perCase(counts: SandboxCounts, n: number): SandboxCounts {
  return {
    dynamodb: dividedTallies(counts.dynamodb, n),
    sqs: divided(counts.sqs, n),
    emails: counts.emails / n,
    lambda: Object.fromEntries(
      Object.entries(counts.lambda).map(([name, fn]) => [
        name,
        { invocations: fn.invocations / n, ms: fn.ms / n, memoryMb: fn.memoryMb },
      ]),
    ),
  };
}

const phase = (counts: SandboxCounts): MeasuredPhase => ({
  dynamodb: counts.dynamodb,
  sqs: counts.sqs,
  lambda: counts.lambda,
  emails: counts.emails,
});

export async function writeMeasuredPerCase(run: {
  wholeLifecycle: SandboxCounts;
  /** Per case (perCase) over `submitGroup`. */
  submitToAcknowledgement: SandboxCounts;
  submitGroup: SubmitGroup;
  steps: string[];
}): Promise<void> {
  const measured: MeasuredPerCase = {
    measuredAt: new Date().toISOString(),
    steps: run.steps,
    submitToAcknowledgement: phase(run.submitToAcknowledgement),
    submitGroup: run.submitGroup,
    wholeLifecycle: phase(run.wholeLifecycle),
  };
  await writeFile(measuredFile, `${JSON.stringify(measured, null, 2)}\n`);
}

export async function readMeasuredPerCase(): Promise<MeasuredPerCase> {
  return JSON.parse(await readFile(measuredFile, 'utf8')) as MeasuredPerCase;
}
