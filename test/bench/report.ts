// What every benchmark table shares: progress on stderr, medians and percentiles, the verdict wording.

export interface BenchTable {
  title: string;
  /** Markdown: the table and its notes, each target line saying whether it was met. */
  text: string;
  /** Whether its targets were met; undefined for a table without targets (it measures a choice). */
  met: boolean | undefined;
}

export const progress = (line: string) => process.stderr.write(`${line}\n`);

/** The value at `share` (0–1) of the sorted values, nearest rank. */
export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

export const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
