// The service policy adapter fails safe: a document it cannot read or validate never replaces the last good
// policy (the defaults at cold start), and each refusal is counted for the PolicyDocumentRejected alarm.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { afterAll, describe, expect, it } from 'vitest';
import { appConfigPolicyLoader } from '#adapters/appconfig-policy';
import { failSafePolicySource, filePolicyLoader, type PolicyLoader } from '#adapters/policy-source';
import { defaultServicePolicy } from '#domain/service-policy';

const oneHourTarget = JSON.stringify({ sla: { firstResponse: { unit: 'hours', amount: 1 } } });

function harness(answers: Array<string | undefined | Error>, refreshMs = 45_000) {
  let nowMs = Date.parse('2026-11-30T00:00:00Z');
  const counted: string[] = [];
  const errors: string[] = [];
  let loads = 0;
  const loader: PolicyLoader = {
    origin: 'test',
    load: async () => {
      const answer = answers[Math.min(loads++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const source = failSafePolicySource(loader, {
    refreshMs,
    clock: { now: () => new Date(nowMs) },
    metrics: { count: (name) => counted.push(name) },
    logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
  });
  return {
    source,
    counted,
    errors,
    loads: () => loads,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('the fail-safe policy source', () => {
  it('uses a valid document', async () => {
    const { source, counted } = harness([oneHourTarget]);
    expect((await source.current()).sla.firstResponse).toEqual({ unit: 'hours', amount: 1 });
    expect(counted).toEqual([]);
  });

  it('keeps the defaults at cold start when the document is invalid, and counts it', async () => {
    const { source, counted, errors } = harness(['{"sla":{"firstResponse":{"unit":"weeks","amount":1}}}']);
    expect(await source.current()).toEqual(defaultServicePolicy);
    expect(counted).toEqual(['PolicyDocumentRejected']);
    expect(errors).toHaveLength(1);
  });

  it('keeps the last good policy when a later document is invalid or the source unreachable', async () => {
    const { source, counted, advance } = harness([oneHourTarget, '{ not json', new Error('timeout')]);
    expect((await source.current()).sla.firstResponse.amount).toBe(1);
    advance(45_000);
    expect((await source.current()).sla.firstResponse.amount).toBe(1);
    advance(45_000);
    expect((await source.current()).sla.firstResponse.amount).toBe(1);
    expect(counted).toEqual(['PolicyDocumentRejected', 'PolicyDocumentRejected']);
  });

  it('asks the loader again only after the refresh interval, and once for callers at the same moment', async () => {
    const { source, loads, advance } = harness([oneHourTarget, undefined]);
    await Promise.all([source.current(), source.current(), source.current()]);
    expect(loads()).toBe(1);
    advance(44_999);
    await source.current();
    expect(loads()).toBe(1);
    advance(1);
    // Unchanged since the last load: the policy in force stays.
    expect((await source.current()).sla.firstResponse.amount).toBe(1);
    expect(loads()).toBe(2);
  });
});

describe('the policy file (sandbox)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read again when it changes, and not otherwise', async () => {
    const file = path.join(dir, 'service-policy.json');
    writeFileSync(file, oneHourTarget);
    const loader = filePolicyLoader(file);
    expect(await loader.load()).toBe(oneHourTarget);
    expect(await loader.load()).toBeUndefined();
    const edited = JSON.stringify({ sla: { firstResponse: { unit: 'hours', amount: 3 } } });
    writeFileSync(file, edited);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await loader.load()).toBe(edited);
  });

  it('counts a missing file as unreachable and keeps the defaults', async () => {
    const counts: string[] = [];
    const source = failSafePolicySource(filePolicyLoader(path.join(dir, 'absent.json')), {
      refreshMs: 0,
      clock: { now: () => new Date() },
      metrics: { count: (name) => counts.push(name) },
      logger: { info() {}, warn() {}, error() {} },
    });
    expect(await source.current()).toEqual(defaultServicePolicy);
    expect(counts).toEqual(['PolicyDocumentRejected']);
  });
});

describe('the AppConfig loader', () => {
  /** An AppConfigData client whose calls are answered here, in order, instead of by AWS. */
  function answeringClient(answers: Array<(input: Record<string, unknown>) => object>) {
    const client = new AppConfigDataClient({
      region: 'ap-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const calls: Array<{ command: string; input: Record<string, unknown> }> = [];
    client.middlewareStack.add(
      () => async (args) => {
        const input: Record<string, unknown> = { ...args.input };
        const command =
          'ConfigurationToken' in input ? 'GetLatestConfiguration' : 'StartConfigurationSession';
        calls.push({ command, input });
        const answer = answers.shift();
        if (!answer) throw new Error('no answer left');
        return { output: answer(input) as never, response: {} };
      },
      { step: 'initialize', name: 'answerHere' },
    );
    return { client, calls };
  }
  const body = (text: string) => new TextEncoder().encode(text);

  it('starts one session, follows the poll tokens, and reads an empty answer as unchanged', async () => {
    const { client, calls } = answeringClient([
      () => ({ InitialConfigurationToken: 't0' }),
      () => ({ NextPollConfigurationToken: 't1', Configuration: body(oneHourTarget) }),
      () => ({ NextPollConfigurationToken: 't2', Configuration: new Uint8Array() }),
    ]);
    const loader = appConfigPolicyLoader(client, { application: 'app', environment: 'env', profile: 'prof' });
    expect(await loader.load()).toBe(oneHourTarget);
    expect(await loader.load()).toBeUndefined();
    expect(calls.map((call) => call.command)).toEqual([
      'StartConfigurationSession',
      'GetLatestConfiguration',
      'GetLatestConfiguration',
    ]);
    expect(calls[0]?.input).toMatchObject({
      ApplicationIdentifier: 'app',
      EnvironmentIdentifier: 'env',
      ConfigurationProfileIdentifier: 'prof',
    });
    expect(calls.slice(1).map((call) => call.input.ConfigurationToken)).toEqual(['t0', 't1']);
  });

  it('starts a new session after a failed poll (a token is spent or expired)', async () => {
    const { client, calls } = answeringClient([
      () => ({ InitialConfigurationToken: 't0' }),
      () => {
        throw new Error('BadRequestException: expired token');
      },
      () => ({ InitialConfigurationToken: 'u0' }),
      () => ({ NextPollConfigurationToken: 'u1', Configuration: body(oneHourTarget) }),
    ]);
    const loader = appConfigPolicyLoader(client, { application: 'a', environment: 'e', profile: 'p' });
    await expect(loader.load()).rejects.toThrow('expired token');
    expect(await loader.load()).toBe(oneHourTarget);
    expect(calls.map((call) => call.command)).toEqual([
      'StartConfigurationSession',
      'GetLatestConfiguration',
      'StartConfigurationSession',
      'GetLatestConfiguration',
    ]);
  });
});
