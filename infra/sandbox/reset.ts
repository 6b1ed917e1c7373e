// npm run reset: forget everything the sandbox kept in SANDBOX_DIR (cases, queues, mail, SMS, the
// clock's shift, the signing keys), so the next `npm start` begins clean. Refuses while it runs.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseCli } from '../tools/cli.ts';

const help = `Usage: npm run reset

Deletes the sandbox's data folder (SANDBOX_DIR, default .sandbox): DynamoDB Local's table, the queues,
the SES inbox, the SMS log, the clock's shift and the local signing keys. Stop the sandbox first.`;

parseCli({ help, options: {} });

const dataDir = path.resolve(process.env.SANDBOX_DIR ?? '.sandbox');
const port = process.env.PORT ?? '3000';
const running = await fetch(`http://127.0.0.1:${port}/_sandbox/clock`, { signal: AbortSignal.timeout(1000) })
  .then((response) => response.ok)
  .catch(() => false);
if (running) {
  console.error(`A sandbox is running on port ${port}: stop it (Ctrl-C) before npm run reset.`);
  process.exit(1);
}
if (!existsSync(dataDir)) {
  console.log(`Nothing to reset: ${dataDir} does not exist.`);
} else {
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`Removed ${dataDir}; the next npm start begins clean.`);
}
