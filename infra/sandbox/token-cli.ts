// npm run -s token -- --role agent --sub alice [--email alice@example.com] [--hours 12]
// Prints a token signed by the sandbox's local key, valid from the running sandbox's clock.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { localIssuer } from './local-issuer.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    email: { type: 'string' },
    hours: { type: 'string', default: '12' },
  },
});
const roles = (values.role ?? []).flatMap((role) => role.split(','));
const validRoles = ['agent', 'supervisor', 'manager', 'auditor'];
if (roles.length === 0 || roles.some((role) => !validRoles.includes(role)) || !values.sub) {
  console.error(
    `Usage: npm run -s token -- --role <${validRoles.join('|')}> --sub <name> [--email a@b] [--hours 12]`,
  );
  process.exit(2);
}

async function sandboxNow(): Promise<Date> {
  const port = process.env.PORT ?? '3000';
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_sandbox/clock`, {
      signal: AbortSignal.timeout(1500),
    });
    if (response.ok) return new Date(((await response.json()) as { now: string }).now);
  } catch {
    // No sandbox running: real time.
  }
  return new Date();
}

const issuer = await localIssuer(path.resolve(process.env.SANDBOX_DIR ?? '.sandbox'));
process.stdout.write(
  `${await issuer.sign({ sub: values.sub, roles, email: values.email }, await sandboxNow(), Number(values.hours) * 3600)}\n`,
);
