import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startSesEmulator } from '../../../infra/sandbox/emulators.ts';

let ses: RunningEmulator;
beforeAll(async () => {
  ses = await startSesEmulator();
});
afterAll(async () => {
  await ses?.stop();
});

const v1 = (action: string) =>
  fetch(ses.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 sandbox',
    },
    body: `Action=${action}&Version=2010-12-01`,
    signal: AbortSignal.timeout(3000),
  });

describe('the SES emulator as the AWS CLI meets it', () => {
  it('answers ses get-send-quota at once instead of leaving it hanging', async () => {
    const response = await v1('GetSendQuota');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<Max24HourSend>200.0<\/Max24HourSend>/);
  });

  it('fails an SES v1 call it does not implement at once, saying what it does implement', async () => {
    const response = await v1('VerifyEmailIdentity');
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/<Code>UnsupportedOperation<\/Code>/);
    expect(text).toMatch(/get-send-quota/);
  });

  it('names an SESv2 call it does not implement in the SDK error format', async () => {
    const response = await fetch(`${ses.endpoint}/v2/email/identities/someone%40example.com`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 sandbox' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnsupportedOperation');
    expect(((await response.json()) as { message: string }).message).toMatch(
      /is not supported by the SES emulator/,
    );
  });

  it('still serves the inbox and the JSON store', async () => {
    expect((await fetch(`${ses.endpoint}/store`)).status).toBe(200);
    expect((await fetch(`${ses.endpoint}/`)).status).toBe(200);
  });
});
