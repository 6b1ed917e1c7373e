// What one agent-list page costs to read, in the sandbox: `npx node test/bench/list-page.ts`. Not part of
// `npm run bench`'s tables; run it on each side of a change to the list's keys (README, Benchmarks).
// Seeds BENCH_LIST_CASES (default 40) cases of every team through `POST /cases` (intake routes them), then
// reads the first page of three lists in interleaved rounds (BENCH_LIST_ROUNDS, default 7): every active
// status of every team, one status of every team, one status of one team. For each: the median time of
// the `GET`, and from the counting proxy (SANDBOX_COUNT_CALLS=1) the Query calls and read units one page took.
import { loadavg } from 'node:os';
import { startSandboxProcess } from '../support/sandbox-process.ts';
import { complaint, drained } from './cost.ts';
import { median, progress } from './report.ts';

const cases = Number(process.env.BENCH_LIST_CASES ?? 40);
const rounds = Number(process.env.BENCH_LIST_ROUNDS ?? 7);

/** One subject per team, as routing sends them (security, branch, finance, operations, service). */
const subjects = ['我的电话号码被泄露了', '快递员骂人', '多收了运费', '包裹破损', '快递一直没有送到'];

const lists = [
  { name: 'every active status, every team', query: '' },
  { name: 'status=open, every team', query: '?status=open' },
  { name: 'status=open, team=branch', query: '?status=open&team=branch' },
];

type Counts = { dynamodb: { calls: Record<string, number>; readUnits: number } };

const sandbox = await startSandboxProcess({ SANDBOX_COUNT_CALLS: '1', SANDBOX_SCHEDULES: 'off' });
try {
  progress(`Seeding ${cases} cases…`);
  for (let n = 0; n < cases; n += 1) {
    const body = { ...complaint(`list.${n}@example.com`), subject: subjects[n % subjects.length] };
    const submitted = await sandbox.api('POST', '/cases', { body });
    if (submitted.status !== 201) throw new Error(`Case ${n} answered ${submitted.status}`);
  }
  await drained(sandbox, 'intake of the seeded cases');
  const token = sandbox.token('supervisor', 'sue', 'sue@carrier.example');
  const times = lists.map(() => [] as number[]);
  const perPage = lists.map(() => ({ queries: 0, readUnits: 0, rows: 0 }));
  for (let round = 0; round < rounds; round += 1) {
    for (const [n, list] of lists.entries()) {
      await sandbox.api('DELETE', '/_sandbox/counts');
      const startedAt = performance.now();
      const page = await sandbox.api('GET', `/agent/cases${list.query}`, { token });
      times[n]!.push(performance.now() - startedAt);
      if (page.status !== 200) throw new Error(`${list.name} answered ${page.status}`);
      const counts = (await sandbox.api('GET', '/_sandbox/counts')).body as Counts;
      perPage[n] = {
        queries: counts.dynamodb.calls.Query ?? 0,
        readUnits: counts.dynamodb.readUnits,
        rows: page.body.cases.length,
      };
    }
  }
  const load = loadavg().map((value) => value.toFixed(1));
  console.log(
    `First page of the agent list, ${cases} cases, median of ${rounds} rounds, load ${load.join(' ')}:\n`,
  );
  console.log('| list | rows | Query calls | read units | median ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [n, list] of lists.entries()) {
    const { queries, readUnits, rows } = perPage[n]!;
    console.log(`| ${list.name} | ${rows} | ${queries} | ${readUnits} | ${Math.round(median(times[n]!))} |`);
  }
} finally {
  await sandbox.stop();
}
