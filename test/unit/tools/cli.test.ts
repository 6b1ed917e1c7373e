import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const clis = {
  token: 'infra/sandbox/token-cli.ts',
  redrive: 'infra/tools/redrive-dlq.ts',
  reindex: 'infra/tools/reindex.ts',
  openapi: 'infra/tools/print-openapi.ts',
  soak: 'infra/tools/soak.ts',
  bench: 'test/bench/run.ts',
  reset: 'infra/sandbox/reset.ts',
};
const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [file, ...args], { cwd: projectRoot, env, encoding: 'utf8', timeout: 30_000 });

describe('every npm run CLI', () => {
  it.each(Object.entries(clis))('%s --help prints its usage and exits 0', (name, file) => {
    const result = run(file, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run (-s )?${name}`));
    expect(result.stderr).toBe('');
  });

  it.each(Object.entries(clis))(
    '%s answers an unknown option with the reason and the usage, exit 2',
    (_, file) => {
      const result = run(file, ['--no-such-option']);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^Unknown option '--no-such-option'/);
      expect(result.stderr).toMatch(/Usage:/);
      expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    },
  );

  it('openapi exits 0 without a word when its reader stops early (| head)', async () => {
    const child = spawn(process.execPath, [clis.openapi], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // Read one chunk, then close the pipe, as `head` does.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it.each([
    ['redrive', clis.redrive, ['notifications']],
    ['reindex', clis.reindex, ['--table', 'cases']],
  ])('%s without an AWS region says what to set instead of "Region is missing"', (_, file, args) => {
    const { AWS_REGION: _r, AWS_DEFAULT_REGION: _d, AWS_PROFILE: _p, ...env } = process.env;
    const result = run(file, args, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/set AWS_REGION/);
    expect(result.stderr).toMatch(/--sandbox/);
  });

  it('reindex refuses a rate or segment count that is not a whole number above 0, and two tables', () => {
    for (const args of [
      ['--rate', '0'],
      ['--segments', '2.5'],
      ['--table', 'cases', '--sandbox'],
    ]) {
      const result = run(clis.reindex, args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^(--rate|--segments|Name the table one way)/);
      expect(result.stderr).toMatch(/Usage: npm run reindex/);
    }
  });

  it('token names what is missing', () => {
    const result = run(clis.token, ['--role', 'agent']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Name the staff member with --sub/);
  });
});
