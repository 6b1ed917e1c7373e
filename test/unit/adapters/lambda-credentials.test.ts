// The credential provider the bundles carry instead of the SDK's default chain: the environment first, then
// a container credentials endpoint, refreshed before the endpoint's credentials expire.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultProvider } from '#adapters/lambda-credentials';

const variables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];
const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
const clear = () => {
  for (const name of variables) delete process.env[name];
};

let server: Server;
let endpoint: string;
const served: { authorization?: string; expiresInMs: number; calls: number } = { expiresInMs: 0, calls: 0 };

beforeAll(async () => {
  server = createServer((request, response) => {
    served.calls += 1;
    served.authorization = request.headers.authorization;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        AccessKeyId: `AKIDCONTAINER${served.calls}`,
        SecretAccessKey: 'secret',
        Token: 'token',
        Expiration: new Date(Date.now() + served.expiresInMs).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
});

afterEach(() => {
  clear();
  served.calls = 0;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  await new Promise((resolve) => server.close(resolve));
});

describe('the bundled credential provider', () => {
  it("reads the role's credentials from the environment, as Lambda sets them, before any endpoint", async () => {
    clear();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint,
    });
    expect(await defaultProvider()()).toMatchObject({ accessKeyId: 'AKIDENV', sessionToken: 'session' });
    expect(served.calls).toBe(0);
  });

  it("falls back to a container endpoint, sends its token, and keeps what it got until it's near expiry", async () => {
    clear();
    Object.assign(process.env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token',
    });
    served.expiresInMs = 3_600_000;
    const provider = defaultProvider();
    expect(await provider()).toMatchObject({ accessKeyId: 'AKIDCONTAINER1', sessionToken: 'token' });
    expect(await provider()).toMatchObject({ accessKeyId: 'AKIDCONTAINER1' });
    expect(served).toMatchObject({ calls: 1, authorization: 'container-token' });

    // Credentials within five minutes of their expiry are fetched again.
    served.expiresInMs = 60_000;
    const soonExpiring = defaultProvider();
    const first = await soonExpiring();
    expect((await soonExpiring()).accessKeyId).not.toBe(first.accessKeyId);
  });

  it('fails saying what it looked for when neither is set', async () => {
    clear();
    await expect(defaultProvider()()).rejects.toThrow(
      /neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY nor a container credentials endpoint/,
    );
  });
});
