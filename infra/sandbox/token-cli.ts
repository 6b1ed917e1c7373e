// npm run -s token -- --role agent --sub alice [--email alice@example.com] [--team branch] [--hours 12]
//   [--unverified-email]
// Prints a token signed by the sandbox's local key, valid from the running sandbox's clock.
import path from 'node:path';
import { parseCli, usageError } from '../tools/cli.ts';
import { localIssuer } from './local-issuer.ts';

const validRoles = ['agent', 'supervisor', 'manager', 'auditor'];
const help = `Usage: npm run -s token -- --role <${validRoles.join('|')}> --sub <name> [--email a@b] [--team <team>]
       [--hours 12] [--unverified-email]

Prints a staff JWT signed by the sandbox's local key (SANDBOX_DIR, default .sandbox), with the claims a
Cognito ID token carries, valid for --hours (12) from the running sandbox's clock (asked on PORT, 3000):
mint it after moving the clock. --role may repeat, or take a list: --role agent,supervisor.
--team (repeatable, or a list) names the teams the member works in (claim custom:team): an agent sees a
case's contact details in clear only on the cases of their teams (or their own). The token says
email_verified: true; --unverified-email issues one with email_verified: false, which every staff route
refuses (403).

  AGENT=$(npm run -s token -- --role agent --sub alice --email alice@example.com)
  curl -s localhost:3000/agent/cases -H "Authorization: Bearer $AGENT"`;

const { values } = parseCli({
  help,
  options: {
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    email: { type: 'string' },
    team: { type: 'string', multiple: true },
    'unverified-email': { type: 'boolean', default: false },
    hours: { type: 'string', default: '12' },
  },
});
const roles = (values.role ?? []).flatMap((role) => role.split(','));
if (roles.length === 0) usageError(help, 'Name at least one --role.');
const unknownRole = roles.find((role) => !validRoles.includes(role));
if (unknownRole) usageError(help, `No role ${unknownRole}; roles: ${validRoles.join(', ')}.`);
if (!values.sub) usageError(help, 'Name the staff member with --sub (e.g. --sub alice).');
if (!(Number(values.hours) > 0)) usageError(help, `--hours must be a positive number, not ${values.hours}.`);

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
  process.stderr.write(`No sandbox answered on port ${port}: the token is valid from the real time.\n`);
  return new Date();
}

const issuer = await localIssuer(path.resolve(process.env.SANDBOX_DIR ?? '.sandbox'));
const sub = values.sub as string;
const teams = (values.team ?? []).flatMap((team) => team.split(','));
const claims = { sub, roles, email: values.email, teams, emailVerified: !values['unverified-email'] };
process.stdout.write(`${await issuer.sign(claims, await sandboxNow(), Number(values.hours) * 3600)}\n`);
