// Starts the emulators once per test run, on random ports; every integration test file then
// creates its own table and queues in them, so files run in parallel without sharing state.
import type { TestProject } from 'vitest/node';
import {
  type RunningEmulator,
  startDynamoDbLocal,
  startS3Emulator,
  startSesEmulator,
  startSmsEmulator,
  startSqsEmulator,
} from '../../infra/sandbox/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: { dynamodb: string; sqs: string; ses: string; sms: string; s3: string };
  }
}

export default async function setup(project: TestProject) {
  const started: RunningEmulator[] = [];
  const stopAll = () => Promise.all(started.map((emulator) => emulator.stop()));
  const start = async <T extends RunningEmulator>(emulator: Promise<T>): Promise<T> => {
    const running = await emulator;
    started.push(running);
    return running;
  };
  let dynamodb: RunningEmulator, sqs: RunningEmulator, ses: RunningEmulator, sms: RunningEmulator;
  let s3: RunningEmulator;
  try {
    [dynamodb, sqs, ses, sms] = await Promise.all([
      start(startDynamoDbLocal()),
      start(startSqsEmulator()),
      start(startSesEmulator()),
      start(startSmsEmulator()),
    ]);
    // S3 is fauxqs too, behind the sandbox's front (policy checks, CORS).
    s3 = await start(startS3Emulator({ sqsEndpoint: sqs.endpoint }));
  } catch (error) {
    await stopAll();
    throw error;
  }
  project.provide('emulators', {
    dynamodb: dynamodb.endpoint,
    sqs: sqs.endpoint,
    ses: ses.endpoint,
    sms: sms.endpoint,
    s3: s3.endpoint,
  });
  return async () => {
    await stopAll();
  };
}
