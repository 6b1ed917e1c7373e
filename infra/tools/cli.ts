// What every npm run CLI shares: --help, a usage line instead of a stack trace for a wrong option,
// a quiet exit when the reader of stdout goes away (`npm run -s openapi | head`), and AWS settings
// explained before the SDK fails on them.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** `| head` closes the pipe early: that is the reader being done, not a failure. */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs with `--help`/`-h` (prints `help` to stdout, exits 0) and a wrong option answered with the
 * reason and the usage on stderr (exit 2), never ERR_PARSE_ARGS_* with a stack.
 */
export function parseCli<O extends Options>(config: {
  help: string;
  options: O;
  allowPositionals?: boolean;
}) {
  exitQuietlyOnClosedPipe();
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${config.help.trim()}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({
      options: config.options,
      allowPositionals: config.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    return usageError(config.help, (error as Error).message);
  }
}

/** The reason, then the usage, on stderr; exit 2 (wrong invocation). */
export function usageError(help: string, reason: string): never {
  process.stderr.write(`${reason}\n\n${help.trim()}\n`);
  process.exit(2);
}

/**
 * Region and credentials as the SDK will look for them; null when they are there, else what to set.
 * The SDK's own errors ("Region is missing") do not say where it looked.
 */
export function missingAwsSettings(env: NodeJS.ProcessEnv = process.env): string | null {
  const hasRegion = Boolean(env.AWS_REGION || env.AWS_DEFAULT_REGION || env.AWS_PROFILE);
  if (hasRegion) return null;
  return (
    'No AWS region: set AWS_REGION (e.g. AWS_REGION=cn-north-1) or AWS_PROFILE naming a profile with a ' +
    'region, with credentials for the account the stack is deployed in (aws configure, aws sso login, or ' +
    'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). Against the sandbox, add --sandbox instead.'
  );
}

/** The SDK's credential and region failures, turned into what to do about them. */
export function explainAwsError(error: Error): string {
  if (/Region is missing/i.test(error.message)) return missingAwsSettings({}) ?? error.message;
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return (
      'No AWS credentials found: run aws configure or aws sso login, set AWS_PROFILE, or export ' +
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Against the sandbox, add --sandbox instead.'
    );
  }
  if (error.name === 'ExpiredToken' || error.name === 'ExpiredTokenException') {
    return 'The AWS session has expired: sign in again (aws sso login) and retry.';
  }
  return error.message;
}
