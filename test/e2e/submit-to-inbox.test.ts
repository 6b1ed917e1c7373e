// The walking skeleton over HTTP: the real sandbox, a case submitted with fetch, the acknowledgement
// read back from the SES emulator's store and the SMS stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaint, anInquiry } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('from POST /cases to the customer inbox', () => {
  it('answers 201 to a Chinese complaint and emails one acknowledgement in Chinese with the case id', async () => {
    const email = `zhang.${Date.now()}@example.com`;
    const submitted = await sandbox.api('POST', '/cases', {
      body: aComplaint({ customer: { email } }),
      headers: { 'Idempotency-Key': `e2e-${Date.now()}` },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'received', deadlines: expect.any(Object) });
    const { caseId } = submitted.body;
    const [ack] = await sandbox.waitFor(async () => {
      const mails = await sandbox.emailsTo(email);
      return mails.length > 0 ? mails : null;
    }, 'the acknowledgement email');
    expect(ack!.subject).toContain(caseId);
    expect(ack!.subject).toMatch(/[\u4e00-\u9fff]/);
  });

  it('replays the same response for the same Idempotency-Key and sends no second email', async () => {
    const email = `replay.${Date.now()}@example.com`;
    const request = {
      body: aComplaint({ customer: { email } }),
      headers: { 'Idempotency-Key': `e2e-replay-${Date.now()}` },
    };
    const first = await sandbox.api('POST', '/cases', request);
    await sandbox.waitFor(async () => (await sandbox.emailsTo(email)).length === 1, 'the first email');
    const second = await sandbox.api('POST', '/cases', request);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    await sandbox.api('POST', '/_sandbox/jobs/sla-sweep').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await sandbox.emailsTo(email)).toHaveLength(1);
  });

  it('acknowledges in English for locale en', async () => {
    const email = `ann.${Date.now()}@example.com`;
    await sandbox.api('POST', '/cases', { body: anInquiry({ customer: { email, locale: 'en' } }) });
    const [ack] = await sandbox.waitFor(async () => {
      const mails = await sandbox.emailsTo(email);
      return mails.length > 0 ? mails : null;
    }, 'the English acknowledgement');
    expect(ack!.subject).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['validation_error', 400, JSON.stringify({ type: 'complaint' }), 'application/json'],
    ['invalid_json', 400, '{"type":', 'application/json'],
    ['unsupported_media_type', 415, 'type=complaint', 'text/plain'],
    ['payload_too_large', 413, JSON.stringify({ description: 'x'.repeat(66_000) }), 'application/json'],
  ])('answers %s with %i in the error shape', async (code, status, body, contentType) => {
    const response = await sandbox.api('POST', '/cases', { body, headers: { 'content-type': contentType } });
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code, requestId: expect.any(String) });
  });

  it('answers 422 for a reused Idempotency-Key with another body', async () => {
    const key = `e2e-422-${Date.now()}`;
    await sandbox.api('POST', '/cases', { body: aComplaint(), headers: { 'Idempotency-Key': key } });
    const reused = await sandbox.api('POST', '/cases', {
      body: aComplaint({ subject: '不同的内容' }),
      headers: { 'Idempotency-Key': key },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });

  it('shows the case for its token and 404 for a wrong one', async () => {
    const { body } = await sandbox.api('POST', '/cases', { body: aComplaint() });
    const own = await sandbox.api('GET', `/cases/${body.caseId}`, {
      headers: { 'X-Case-Token': body.accessToken },
    });
    expect(own.status).toBe(200);
    const wrong = await sandbox.api('GET', `/cases/${body.caseId}`, { headers: { 'X-Case-Token': 'guess' } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('not_found');
  });

  it('texts a phone-only customer', async () => {
    // 10:00 in Beijing, outside the quiet hours in which texts are held until 08:00.
    await sandbox.api('POST', '/_sandbox/clock', { body: { set: '2026-11-24T02:00:00.000Z' } });
    const phone = `+86137${String(Date.now()).slice(-8)}`;
    const { body } = await sandbox.api('POST', '/cases', {
      body: anInquiry({ customer: { email: undefined, phone, locale: 'zh-CN' } }),
    });
    const texts = await sandbox.waitFor(async () => {
      const sent = (await sandbox.api('GET', '/_sandbox/sms')).body.messages as Array<{
        to: string;
        body: string;
      }>;
      const mine = sent.filter((message) => message.to === phone);
      return mine.length > 0 ? mine : null;
    }, 'the SMS');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toContain(body.caseId);
  });

  it('acknowledges and classifies the delay report of a parcel shipped on 28 December 2025', async () => {
    // Monday 12 January 2026, 10:00 in Beijing: the shipping date is within the year the API accepts.
    await sandbox.api('POST', '/_sandbox/clock', { body: { set: '2026-01-12T02:00:00.000Z' } });
    try {
      const email = `late.parcel.${Date.now()}@example.com`;
      const submitted = await sandbox.api('POST', '/cases', {
        body: aComplaint({
          type: 'exception',
          category: 'delayed',
          subject: '包裹迟迟未到',
          description: '12月28日寄出的包裹一直显示运输中',
          trackingNumber: `SF${Date.now()}`,
          customer: { email },
          shipment: { service: 'standard', route: 'inter_province', shippedAt: '2025-12-28T07:00:00.000Z' },
        }),
      });
      expect(submitted.status).toBe(201);
      const { caseId } = submitted.body;
      await sandbox.waitFor(async () => (await sandbox.emailsTo(email)).length > 0, 'the acknowledgement');
      const view = await sandbox.api('GET', `/agent/cases/${caseId}`, {
        token: sandbox.token('supervisor', 'sam'),
      });
      expect(view.body).toMatchObject({ status: 'open', category: 'delayed' });
      const kinds = view.body.timeline.map((entry: { kind: string }) => entry.kind);
      expect(kinds).toEqual(expect.arrayContaining(['classified', 'delivery_checked']));
    } finally {
      await sandbox.api('POST', '/_sandbox/clock', { body: { reset: true } });
    }
  });

  it('answers GET /health', async () => {
    expect(await sandbox.api('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  // Last in this file: it empties the stage's token bucket. 800 requests outrun the refill (100 a second) even on a loaded machine.
  it('throttles like the deployed stage: a burst beyond the limit gets 429 rate_limited', async () => {
    const responses = await Promise.all(Array.from({ length: 800 }, () => sandbox.api('GET', '/health')));
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.error).toMatchObject({ code: 'rate_limited', requestId: expect.any(String) });
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(200);
  });
});

describe('what the gateway refuses, in the error shape of API.md', () => {
  // The throttle test above empties the stage's bucket (500 tokens, 100 a second): a body reaches the
  // nesting check only once the bucket has refilled, or the gateway answers 429 first.
  beforeAll(() => new Promise((resolve) => setTimeout(resolve, 6_000)));

  it('answers 400 to a body nested 8,000 deep', async () => {
    const valid = JSON.stringify(aComplaint());
    const response = await sandbox.api('POST', '/cases', {
      body: `${valid.slice(0, -1)},"nested":${'['.repeat(8_000)}${']'.repeat(8_000)}}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_error', requestId: expect.any(String) });
  });

  it('answers 400 to a path with malformed percent-encoding, not 500', async () => {
    const response = await sandbox.api('POST', '/cases/%E0%A4%A/messages', {
      body: { message: 'hello' },
      headers: { 'x-case-token': 'whatever' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_error');
  });

  it.each([20_000, 70_000])(
    'answers 400 to %i bytes of headers, as API Gateway caps them at 10 KiB',
    async (size) => {
      const response = await sandbox.api('GET', '/health', { headers: { 'x-filler': 'a'.repeat(size) } });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_error', requestId: expect.any(String) });
    },
  );
});
