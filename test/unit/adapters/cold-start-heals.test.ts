// One transient Secrets Manager error at cold start must not poison the execution environment: the failed
// set-up is forgotten and the next call fetches the key again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDependencies } from '#adapters/dependencies';
import { keyringFromSecret, loadKeyring } from '#adapters/keyring';
import { lazyPromise } from '#adapters/lazy-promise';
import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { wireDependencies } from '#adapters/wiring/wire';
import { resetConfigCache } from '#shared/config';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const secretArn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:hmac';

/** A Secrets Manager stand-in that answers 500 InternalServiceError while `failing` is set. */
let failing = true;
let requests = 0;
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (failing) {
        response.statusCode = 500;
        response.end(JSON.stringify({ __type: 'InternalServiceError', message: 'try again' }));
        return;
      }
      response.end(JSON.stringify({ ARN: secretArn, Name: 'hmac', SecretString: secret }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    TABLE_NAME: 'cases',
    QUEUE_URL_INTAKE: 'http://127.0.0.1:1/intake',
    QUEUE_URL_NOTIFICATIONS: 'http://127.0.0.1:1/notifications',
    QUEUE_URL_SMS_NOTIFICATIONS: 'http://127.0.0.1:1/sms-notifications',
    QUEUE_URL_SLA_WORK: 'http://127.0.0.1:1/sla-work',
    QUEUE_URL_EMAIL_EVENTS: 'http://127.0.0.1:1/email-events',
    QUEUE_URL_INBOUND_EMAIL: 'http://127.0.0.1:1/inbound-email',
    QUEUE_URL_INBOUND_SMS: 'http://127.0.0.1:1/inbound-sms',
    QUEUE_URL_INCIDENT_FANOUT: 'http://127.0.0.1:1/incident-fanout',
    SENDER_EMAIL: 'care@parcel-care.example',
    PUBLIC_BASE_URL: 'https://care.example.com',
    HMAC_SECRET_ARN: secretArn,
  });
  delete process.env.HMAC_SECRET;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  failing = true;
  requests = 0;
  resetConfigCache();
  resetDependencies();
});

const expected = keyringFromSecret(secret).hashContact('zhangsan@example.com');

describe('cold start heals', () => {
  it('fetches the HMAC key again after the first Secrets Manager call failed', async () => {
    await expect(loadKeyring({ HMAC_SECRET_ARN: secretArn })).rejects.toThrow();
    failing = false;
    const healed = await loadKeyring({ HMAC_SECRET_ARN: secretArn });
    expect(healed.hashContact('zhangsan@example.com')).toBe(expected);
    expect(requests).toBe(2);
  });

  it("builds a function's dependencies again on the call after a failed build", async () => {
    const dependencies = wireDependencies([caseTable, keyring]);
    await expect(dependencies()).rejects.toThrow();
    failing = false;
    const deps = await dependencies();
    expect(deps.keyring.hashContact('zhangsan@example.com')).toBe(expected);
    // Once built, the dependencies are kept: no further Secrets Manager call.
    await dependencies();
    expect(requests).toBe(2);
  });

  it('names the port group a function was not wired with', async () => {
    failing = false;
    const deps = await wireDependencies([keyring])();
    expect(() => deps.mailer).toThrow(/mailer port is not wired .* mailer port group/);
    expect(() => deps.cases).toThrow(/cases port is not wired .* caseTable port group/);
  });
});

describe('a lazy set-up step', () => {
  it('is shared by concurrent callers and kept once it succeeded', async () => {
    let runs = 0;
    const step = lazyPromise(async () => ++runs);
    expect(await Promise.all([step.get(), step.get()])).toEqual([1, 1]);
    expect(await step.get()).toBe(1);
  });

  it('forgets a failure only once it has settled, so a reset in between is not undone', async () => {
    let runs = 0;
    let fail: (error: Error) => void = () => {};
    const step = lazyPromise(() => {
      runs += 1;
      return runs === 1 ? new Promise<number>((_, reject) => (fail = reject)) : Promise.resolve(runs);
    });
    const first = step.get();
    step.reset();
    const second = step.get();
    fail(new Error('transient'));
    await expect(first).rejects.toThrow('transient');
    expect(await second).toBe(2);
    expect(await step.get()).toBe(2);
  });
});
