import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoke, runInvocationsConcurrently } from '../../../infra/sandbox/lambda-runtime.ts';
import { parseLogEntry, prettyLine } from '../../../infra/sandbox/sandbox-log.ts';

const fn = (name: string) => ({
  name,
  entry: 'test/fixtures/logging-handler.ts',
  memoryMb: 128,
  timeoutSeconds: 5,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logs of functions running at once in the sandbox', () => {
  it('tag every line with the function that wrote it', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      const text = String(chunk);
      if (text.includes('"function_name"')) lines.push(...text.trim().split('\n'));
      else return write(chunk, ...rest);
      return true;
    }) as typeof process.stderr.write);
    await runInvocationsConcurrently();
    // The sweep starts first and logs again after the consumer has started.
    await Promise.all([
      invoke(fn('SlaSweep'), { pauseMs: 60 }),
      invoke(fn('SlaWorkConsumer'), { pauseMs: 5 }),
    ]);
    const entries = lines.map((line) => JSON.parse(line) as { message: string; function_name: string });
    expect(entries).toHaveLength(4);
    expect(
      entries.filter((entry) => entry.function_name === 'parcel-care-SlaSweep').map((e) => e.message),
    ).toEqual(['first', 'second']);
    expect(
      entries.filter((entry) => entry.function_name === 'parcel-care-SlaWorkConsumer').map((e) => e.message),
    ).toEqual(['first', 'second']);
  });
});

describe('pretty sandbox lines', () => {
  it('put time, level, function, message and case id first, the rest as key=value, on one line', () => {
    const entry = parseLogEntry(
      JSON.stringify({
        level: 'INFO',
        message: 'SLA clock breached',
        timestamp: '2026-11-23T08:00:01.234Z',
        service: 'parcel-care',
        function_name: 'parcel-care-SlaWorkConsumer',
        function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:parcel-care-SlaWorkConsumer',
        caseId: 'CS2611230001AB',
        clock: 'plan',
        team: 'branch office',
      }),
    );
    const line = prettyLine(entry!);
    expect(line).toMatch(
      /^\d\d:\d\d:01\.234 {2}INFO {3}SlaWorkConsumer +SLA clock breached {2}caseId=CS2611230001AB {2}clock=plan {2}team="branch office"$/,
    );
    expect(line).not.toContain('\n');
    expect(parseLogEntry('Parcel Care sandbox is running')).toBeNull();
  });
});
