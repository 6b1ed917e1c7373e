// npm start: the sandbox. Every port can be moved by its variable; Ctrl-C stops everything.
import path from 'node:path';
import { JavaMissing, PortInUse } from './emulators.ts';
import { startSandbox } from './sandbox.ts';
import { prettyPrintLogs, sandboxLogFormat } from './sandbox-log.ts';

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a port number, not ${process.env[name]}`);
    process.exit(2);
  }
  return value;
};

const options = {
  port: port('PORT', 3000),
  dynamoDbPort: port('DYNAMODB_PORT', 8000),
  sqsPort: port('SQS_PORT', 4566),
  sesPort: port('SES_PORT', 8005),
  s3Port: port('S3_PORT', 4569),
  smtpPort: port('SMTP_PORT', 2525),
  dataDir: path.resolve(process.env.SANDBOX_DIR ?? '.sandbox'),
  // SANDBOX_SCHEDULES=off: jobs run only when asked (POST /_sandbox/jobs/{name}), as the benchmarks need.
  schedules: process.env.SANDBOX_SCHEDULES !== 'off',
  host: process.env.SANDBOX_HOST || '127.0.0.1',
};

if (sandboxLogFormat() === 'pretty') prettyPrintLogs();

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
try {
  sandbox = await startSandbox(options);
} catch (error) {
  if (error instanceof JavaMissing || error instanceof PortInUse) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

console.log(`Parcel Care sandbox is running (data in ${options.dataDir})

  HTTP API         ${sandbox.url}              (PORT)
  DynamoDB Local   ${sandbox.endpoints.dynamodb}              (DYNAMODB_PORT)
  SQS (fauxqs)     ${sandbox.endpoints.sqs}              (SQS_PORT)
  SES (inbox)      ${sandbox.endpoints.ses}              (SES_PORT; GET /store for JSON)
  S3 (uploads)     ${sandbox.endpoints.s3}              (S3_PORT)
  Mail in (SMTP)   ${sandbox.endpoints.smtp}               (SMTP_PORT; any recipient)
  SMS in           POST ${sandbox.url}/_sandbox/sms/inbound { "from", "body" }
  SMS sent         ${sandbox.url}/_sandbox/sms
  Queues           ${sandbox.url}/_sandbox/queues
                   ${sandbox.queueUrls.intake?.replace(/intake$/, '<queue>')}   (as aws sqs list-queues names them)
  Table stream     ${sandbox.url}/_sandbox/stream-failures   (batches CaseChangeCompleter gave up on)
  Clock            ${sandbox.url}/_sandbox/clock
  Jobs             POST ${sandbox.url}/_sandbox/jobs/{name}
  Service policy   ${process.env.SERVICE_POLICY_FILE}   (SANDBOX_POLICY_FILE; edits hold for the next case)

  Agent token:     npm run -s token -- --role agent --sub alice
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the sandbox…`);
  const forced = setTimeout(() => process.exit(1), 15_000);
  forced.unref();
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
