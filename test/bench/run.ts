// npm run bench: every benchmark table in one run, each line with its target and whether it was met.
// Progress goes to stderr, the tables (Markdown) to stdout; the exit code is 1 when a table could not
// be measured (a target not met is reported, not failed: no timed test asserts these targets).
//
//   BENCH_TABLES=sweep,cold,cost,burst (default: all, in this order) selects tables, e.g.
//   BENCH_TABLES=cost npm run -s bench
// Each table has its own settings, documented at the top of its file:
//   sweep.ts (BENCH_SIZES, BENCH_DUE) · cold-start.ts (BENCH_COLD_ROUNDS) ·
//   cost.ts (BENCH_STAFF_MAU) · burst.ts (BENCH_BURST, BENCH_CEILING_SECONDS)
// Java 17+ is needed for DynamoDB Local (sweep, cost, burst). Each table loads its own module, so a
// table whose code no longer loads is reported as such and the others still run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { BenchTable } from './report.ts';
import { progress } from './report.ts';

const tables: Record<string, () => Promise<BenchTable>> = {
  sweep: async () => (await import('./sweep.ts')).sweepTable(),
  cold: async () => (await import('./cold-start.ts')).coldStartTable(),
  cost: async () => (await import('./cost.ts')).costTable(),
  burst: async () => (await import('./burst.ts')).burstTable(),
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

const load = () => {
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
  `# npm run bench, ${new Date().toISOString()}\n\nMachine: ${cpus().length} CPU(s), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ${load()} at the start.`,
);
let failed = false;
const summary: string[] = [];
for (const name of selected) {
  progress(`== ${name}`);
  try {
    const table = await tables[name]!();
    console.log(`\n## ${table.title}\n\n${table.text}`);
    summary.push(`- ${table.title}: targets ${table.met ? 'met' : 'NOT met'}`);
  } catch (error) {
    failed = true;
    console.log(`\n## ${name}\n\nCould not be measured: ${(error as Error).stack ?? error}`);
    summary.push(`- ${name}: could not be measured`);
  }
}
console.log(
  `\n## Summary\n\n${summary.join('\n')}\n\nTotal ${((performance.now() - startedAt) / 1000).toFixed(0)} s; ${load()} at the end.`,
);
if (failed) process.exitCode = 1;
