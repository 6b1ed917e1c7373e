// DynamoDB Local's JVM starts with the options for a short-lived emulator (emulators.ts), and starting it
// leaves this process's environment as it was.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dynamoDbLocalJavaOptions,
  dynamoDbLocalJvmOptions,
  type RunningEmulator,
  startDynamoDbLocal,
} from '../../../infra/sandbox/emulators.ts';

describe('DynamoDB Local JVM options', () => {
  it('puts the emulator options first and the environment’s own after them, so the caller’s win', () => {
    expect(dynamoDbLocalJavaOptions(undefined)).toBe('-XX:TieredStopAtLevel=1 -XX:+UseSerialGC');
    expect(dynamoDbLocalJavaOptions('  ')).toBe('-XX:TieredStopAtLevel=1 -XX:+UseSerialGC');
    expect(dynamoDbLocalJavaOptions('-XX:TieredStopAtLevel=4')).toBe(
      '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:TieredStopAtLevel=4',
    );
  });

  it('leaves its collector out when the environment names one: a JVM refuses two', () => {
    expect(dynamoDbLocalJavaOptions('-XX:+UseG1GC -Xmx2g')).toBe(
      '-XX:TieredStopAtLevel=1 -XX:+UseG1GC -Xmx2g',
    );
  });

  let running: RunningEmulator | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('starts with the collector the environment names', { timeout: 60_000 }, async () => {
    const before = process.env.JDK_JAVA_OPTIONS;
    process.env.JDK_JAVA_OPTIONS = '-XX:+UseParallelGC';
    try {
      running = await startDynamoDbLocal();
    } finally {
      if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
      else process.env.JDK_JAVA_OPTIONS = before;
    }
    expect(running.port).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')(
    'starts the JVM with them and puts this process’s JDK_JAVA_OPTIONS back',
    { timeout: 60_000 },
    async () => {
      const before = process.env.JDK_JAVA_OPTIONS;
      running = await startDynamoDbLocal();
      expect(process.env.JDK_JAVA_OPTIONS).toBe(before);
      expect(running.pid).toBeTypeOf('number');
      const environment = readFileSync(`/proc/${running.pid}/environ`, 'utf8').split('\0');
      const options = environment.find((entry) => entry.startsWith('JDK_JAVA_OPTIONS='));
      for (const option of dynamoDbLocalJvmOptions) expect(options).toContain(option);
    },
  );
});
