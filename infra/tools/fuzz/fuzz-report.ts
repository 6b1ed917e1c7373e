// The fuzz report as text: counts per status and per operation, and a reproducer per distinct failure.

import type { FuzzRequest } from './fuzz-requests.ts';
import type { FuzzFailure, FuzzReport } from './fuzz-run.ts';

/** Long values shortened to their head and tail with the length, so a reproducer stays readable. */
export function shorten(text: string, max = 240): string {
  if (text.length <= max) return text;
  const repeated = /^(.)\1+$/su.exec(text);
  if (repeated) return `${JSON.stringify(repeated[1])} × ${text.length}`;
  return `${text.slice(0, max - 60)} …(${text.length} chars)… ${text.slice(-40)}`;
}

function printableBody(body: Buffer): string {
  const text = body.toString('utf8');
  const roundTrips = Buffer.from(text, 'utf8').equals(body);
  return roundTrips
    ? shorten(JSON.stringify(text).slice(1, -1))
    : `hex ${shorten(body.toString('hex'), 120)}`;
}

/** Method, path, headers and body of one request, the body escaped and truncated. */
export function describeRequest(request: FuzzRequest): string {
  const lines = [`${request.method} ${shorten(request.target, 200)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    const shown =
      name === 'authorization' || name === 'x-case-token' ? shorten(value, 60) : shorten(value, 120);
    lines.push(`${name}: ${shown}`);
  }
  if (request.body !== undefined)
    lines.push(`body (${request.body.length} bytes): ${printableBody(request.body)}`);
  return lines.join('\n');
}

export function describeFailure(failure: FuzzFailure, seed: number): string {
  return [
    `✗ ${failure.signature}  (${failure.occurrences}×; smallest: seed ${seed}, request #${failure.index})`,
    `    on ${Object.entries(failure.operations)
      .map(([operation, count]) => `${operation} ×${count}`)
      .join(', ')}`,
    ...describeRequest(failure.request)
      .split('\n')
      .map((line) => `    ${line}`),
    `    → ${failure.response.status} ${shorten(failure.response.body, 200)}`,
  ].join('\n');
}

function table(rows: Array<[string, ...Array<string | number>]>): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? String(cell).padEnd(widths[0]!) : String(cell).padStart(widths[column]!),
        )
        .join('  '),
    )
    .join('\n');
}

export function formatReport(report: FuzzReport): string {
  const statuses = Object.keys(report.byStatus).sort();
  const perStatus = table([
    ['status', 'count'],
    ...statuses.map((status): [string, number] => [status, report.byStatus[status]!]),
  ]);
  const perOperation = table([
    ['operation', ...statuses],
    ...Object.entries(report.byOperation).map(([operation, counts]): [string, ...number[]] => [
      operation,
      ...statuses.map((status) => counts[status] ?? 0),
    ]),
  ]);
  const fiveXx = statuses.filter((status) => Number(status) >= 500 || Number.isNaN(Number(status)));
  const lines = [
    `seed ${report.seed}: ${report.sent} of ${report.requested} requests in ${report.seconds.toFixed(1)} s` +
      (report.stoppedByTime ? ' (stopped by --max-seconds)' : ''),
    '',
    perStatus,
    '',
    perOperation,
    '',
    `5xx: ${fiveXx.reduce((sum, status) => sum + report.byStatus[status]!, 0)}` +
      ` · distinct failures: ${report.failures.length}`,
  ];
  for (const [warning, count] of Object.entries(report.warnings)) lines.push(`note: ${warning} (${count}×)`);
  if (report.deadLetters) {
    lines.push(`note: dead-lettered so far, by queue: ${JSON.stringify(report.deadLetters)}`);
  }
  for (const failure of report.failures) lines.push('', describeFailure(failure, report.seed));
  return lines.join('\n');
}
