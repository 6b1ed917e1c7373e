// The sandbox's log lines, for people: one short line per entry (time, function, level, message, case
// id, the rest as key=value), or the functions' own Powertools JSON with SANDBOX_LOG_FORMAT=json.
// The handlers log JSON as in Lambda; `npm start` turns each JSON line into a pretty one on its way out.
import { styleText } from 'node:util';

export type SandboxLogFormat = 'pretty' | 'json';

export function sandboxLogFormat(env: NodeJS.ProcessEnv = process.env): SandboxLogFormat {
  return env.SANDBOX_LOG_FORMAT === 'json' ? 'json' : 'pretty';
}

/** Powertools' own keys: said by the line's layout, or not worth a developer's attention. */
const layoutKeys = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'caseId',
]);

const levelStyle: Record<string, Parameters<typeof styleText>[0]> = {
  DEBUG: 'gray',
  INFO: 'green',
  WARN: 'yellow',
  ERROR: 'red',
  CRITICAL: 'red',
};

function clockTime(timestamp: unknown): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
  const valid = Number.isNaN(date.getTime()) ? new Date() : date;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(valid.getHours())}:${pad(valid.getMinutes())}:${pad(valid.getSeconds())}.${pad(valid.getMilliseconds(), 3)}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value && 'name' in value) {
    return JSON.stringify(`${String(value.name)}: ${String(value.message)}`);
  }
  return JSON.stringify(value);
}

/** One entry as one line: `12:03:04.567 INFO  SubmitCase  Case submitted  caseId=CS… key=value`. */
export function prettyLine(entry: Record<string, unknown>, colour = false): string {
  const level = String(entry.level ?? 'INFO').toUpperCase();
  const source = String(entry.function_name ?? entry.source ?? 'sandbox').replace(/^parcel-care-/, '');
  const paint = (style: Parameters<typeof styleText>[0], text: string) =>
    colour ? styleText(style, text) : text;
  const rest = Object.entries(entry)
    .filter(([key, value]) => !layoutKeys.has(key) && key !== 'source' && value !== undefined)
    .map(([key, value]) => `${key}=${valueText(value)}`);
  return [
    paint('gray', clockTime(entry.timestamp)),
    paint(levelStyle[level] ?? 'white', level.padEnd(5)),
    paint('cyan', source.padEnd(20)),
    String(entry.message ?? ''),
    ...(entry.caseId ? [paint('bold', `caseId=${String(entry.caseId)}`)] : []),
    ...rest,
  ].join('  ');
}

/** A Powertools log line (JSON with level and message), or null for anything else. */
export function parseLogEntry(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const entry = JSON.parse(line) as unknown;
    if (entry && typeof entry === 'object' && 'level' in entry && 'message' in entry)
      return entry as Record<string, unknown>;
  } catch {
    // not JSON after all
  }
  return null;
}

/** Rewrites the JSON lines written to stdout and stderr as pretty ones; everything else passes as is. */
export function prettyPrintLogs(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    const colour = stream.isTTY === true;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.includes('{"')) return write(chunk, ...rest);
      const lines = text.split('\n').map((line) => {
        const entry = parseLogEntry(line);
        return entry ? prettyLine(entry, colour) : line;
      });
      return write(lines.join('\n'), ...rest);
    }) as typeof stream.write;
  }
}

/** A line of the sandbox's own (requests, its errors), in the chosen format. */
export function sandboxEntry(
  level: 'INFO' | 'WARN' | 'ERROR',
  source: string,
  message: string,
  attributes: Record<string, unknown> = {},
): string {
  const entry = { level, message, timestamp: new Date().toISOString(), source, ...attributes };
  return sandboxLogFormat() === 'json'
    ? JSON.stringify(entry)
    : prettyLine(entry, process.stdout.isTTY === true);
}
