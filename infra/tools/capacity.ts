// `npm run capacity -- --cases-per-day 1000000 --peak 10 [--sms-per-case 0] [--ses-rate 1000] [--sms-rate 100]
// [--grow-to 5000000] [--lambda-ms 250|measured]`: the
// capacity model (infra/tools/capacity/model.ts) at that load: every partition, queue, sending quota
// and function against its declared AWS limit, the headroom, and what breaks first as the load grows.
import { parseArgs } from 'node:util';
import { limits } from './capacity/limits.ts';
import { readMeasuredPerCase } from './capacity/measured.ts';
import {
  assumptions,
  type CapacityRow,
  capacityRows,
  firstToBreak,
  type Load,
  peakCasesPerSecond,
} from './capacity/model.ts';

const { values } = parseArgs({
  options: {
    'cases-per-day': { type: 'string', default: '1000000' },
    peak: { type: 'string', default: '10' },
    'sms-per-case': { type: 'string', default: '0' },
    'grow-to': { type: 'string', default: '5000000' },
    'lambda-ms': { type: 'string', default: String(assumptions.lambdaMsPerInvocation) },
    'ses-rate': { type: 'string', default: String(limits.sesSendRate.value) },
    'sms-rate': { type: 'string', default: String(limits.smsSendRate.value) },
  },
});
const number = (text: string, name: string) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const load: Load = {
  casesPerDay: number(values['cases-per-day'], 'cases-per-day'),
  peak: number(values.peak, 'peak'),
  smsPerCase: number(values['sms-per-case'], 'sms-per-case'),
  lambdaMs: values['lambda-ms'] === 'measured' ? 'measured' : number(values['lambda-ms'], 'lambda-ms'),
  sesRate: number(values['ses-rate'], 'ses-rate'),
  smsRate: number(values['sms-rate'], 'sms-rate'),
};
const measured = await readMeasuredPerCase();
const figure = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
const percent = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %`;
const verdict = (row: CapacityRow) =>
  row.utilisation < assumptions.target ? 'ok' : row.utilisation < 1 ? 'OVER 70 %' : 'BREAKS';

const rows = capacityRows(load, measured);
console.log(
  `# Capacity at ${load.casesPerDay.toLocaleString('en-US')} cases a day, peak ${load.peak}× (${figure(peakCasesPerSecond(load))} cases/s)\n`,
);
console.log('| area | what | at the peak | limit | use | headroom | | basis | limit source |');
console.log('|---|---|---:|---:|---:|---:|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.area} | ${row.what} | ${figure(row.load)} | ${figure(row.limit.value)} ${row.limit.unit}${row.limit.kind === 'adjustable' ? ' (adjustable)' : ''} | ${percent(row.utilisation)} | ${row.utilisation < 1 ? `${(1 / row.utilisation).toFixed(1)}×` : 'none'} | ${verdict(row)} | ${row.basis} | ${row.limit.source} |`,
  );
}
const over = rows.filter((row) => row.utilisation >= assumptions.target);
const first = firstToBreak(load, rows);
console.log(
  `\n${over.length === 0 ? `Every figure is under ${percent(assumptions.target)} of its limit at the peak.` : `${over.length} figure(s) at or over ${percent(assumptions.target)} of the limit: ${over.map((row) => row.what).join('; ')}.`}`,
);
console.log(
  `First to break as the load grows: ${first.row.what} (${percent(first.row.utilisation)} now), at about ${Math.round(first.breaksAtCasesPerDay).toLocaleString('en-US')} cases a day with the same peak.`,
);
const then = number(values['grow-to'], 'grow-to');
if (then > 0) {
  const thenLoad = { ...load, casesPerDay: then };
  const thenRows = capacityRows(thenLoad, measured);
  const broken = thenRows.filter((row) => row.utilisation >= 1).sort((a, b) => b.utilisation - a.utilisation);
  const thenFirst = firstToBreak(thenLoad, thenRows);
  // A consumer sized to a quota breaks with it: name every figure that reaches its limit together.
  const together = thenRows.filter((row) => row.utilisation >= thenFirst.row.utilisation * 0.999);
  console.log(
    `At ${then.toLocaleString('en-US')} cases a day: ${broken.length === 0 ? 'nothing reaches its limit' : `${broken.length} over the limit: ${broken.map((row) => `${row.what} ${percent(row.utilisation)}`).join('; ')}`}; the first to break is ${together.map((row) => row.what).join(' and ')}.`,
  );
}
console.log(
  `\nMeasured per case (${measured.steps.join(', ')}), ${measured.measuredAt}; regenerate with \`BENCH_TABLES=cost npm run -s bench\`. Assumptions: ${Object.entries(
    assumptions,
  )
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}.`,
);
