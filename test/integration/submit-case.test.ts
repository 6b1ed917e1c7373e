import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaseTableClient, caseTableClient } from '#adapters/case-table-client';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as submitCase } from '#functions/http/submit-case';
import type { Dependencies } from '#use-cases/ports';
import {
  type DynamoRequest,
  failNextRequest,
  holdNextRequest,
  putOf,
  requestsDuring,
  watchDynamoRequests,
} from '../support/dynamo-requests.ts';
import { aComplaint, anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  type IntegrationEnvironment,
  uniqueEmail,
  uniqueMobile,
  visibleMessages,
} from '../support/integration-environment.ts';
import { storedTimelineItems } from '../support/stored-cases.ts';

watchDynamoRequests();

let env: IntegrationEnvironment;
let deps: Dependencies;
let table: CaseTableClient;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
  table = caseTableClient(DynamoDBDocumentClient.from(env.dynamodb), env.tableName);
});

const submit = (body: unknown, headers: Record<string, string> = {}, sourceIp?: string) =>
  callApi(submitCase, { method: 'POST', routeKey: 'POST /cases', path: '/cases', body, headers, sourceIp });

const view = (caseId: string, headers: Record<string, string> = {}, query?: Record<string, string>) =>
  callApi(getCustomerCase, {
    method: 'GET',
    routeKey: 'GET /cases/{caseId}',
    path: `/cases/${caseId}`,
    pathParameters: { caseId },
    headers,
    query,
  });

/** The key a submission's record is under: its client's key, scoped to the first contact and the source. */
const scoped = (key: string, email: string, sourceIp = '203.0.113.7') => ({
  key,
  scope: `${deps.keyring.hashContact(email)}|${sourceIp}`,
});

/** The cases a contact's index holds (erasure and export find a customer's cases through it). */
const casesOfContact = async (contact: string) =>
  (await deps.contacts.findCasesByContact([deps.keyring.hashContact(contact)], '2000-01-01')).map(
    (ref) => ref.caseId,
  );

/** The timeline entries stored as items under a case (not those read from the change its item carries). */
async function storedEntries(caseId: string): Promise<string[]> {
  return (await storedTimelineItems(table, caseId)).map((item) => String(item.kind));
}

/** The entity of each item put, in the order sent. */
const putsOf = (requests: DynamoRequest[]) =>
  requests
    .filter((request) => request.operation === 'PutItem')
    .map((request) => request.body.Item?.entity?.S);

describe('POST /cases, stored without a transaction', () => {
  it('puts the idempotency record, then the case, then its timeline entry and contact index entries', async () => {
    const [email, phone] = [uniqueEmail(), uniqueMobile()];
    const key = `key-${crypto.randomUUID()}`;
    const { result: response, requests } = await requestsDuring(() =>
      submit(aComplaint({ customer: { email, phone } }), { 'Idempotency-Key': key }),
    );
    expect(response.status).toBe(201);
    const { caseId } = response.body;
    expect(requests.map((request) => request.operation)).not.toContain('TransactWriteItems');
    const puts = putsOf(requests);
    // The owed puts go out together, in any order.
    expect(puts.slice(0, 2)).toEqual(['idempotency', 'case']);
    expect(puts.slice(2).sort()).toEqual(['contactCase', 'contactCase', 'timeline']);

    expect(await deps.idempotency.getIdempotencyRecord(scoped(key, email))).toMatchObject({ caseId });
    expect(await deps.cases.getCase(caseId)).toMatchObject({ caseId, status: 'received' });
    expect(await storedEntries(caseId)).toEqual(['created']);
    expect(await casesOfContact(email)).toEqual([caseId]);
    expect(await casesOfContact(phone)).toEqual([caseId]);
  });

  it('without a key puts the case alone, then what it owes', async () => {
    const email = uniqueEmail();
    const { result: response, requests } = await requestsDuring(() =>
      submit(aComplaint({ customer: { email } })),
    );
    expect(response.status).toBe(201);
    expect(requests.map((request) => request.operation)).not.toContain('TransactWriteItems');
    const [first, ...owed] = putsOf(requests);
    expect(first).toBe('case');
    expect(owed.sort()).toEqual(['contactCase', 'timeline']);
    expect(await casesOfContact(email)).toEqual([response.body.caseId]);
  });

  it('after a writer that stopped between the record and the case, a retry creates the case once, under the recorded id', async () => {
    const email = uniqueEmail();
    const body = aComplaint({ customer: { email } });
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    failNextRequest(putOf('case'));
    const stopped = await submit(body, headers);
    expect(stopped.status).toBeGreaterThanOrEqual(500);
    const record = await deps.idempotency.getIdempotencyRecord(scoped(headers['Idempotency-Key'], email));
    if (!record) throw new Error('The first request recorded no answer');
    expect(await deps.cases.getCase(record.caseId)).toBeNull();

    // The key still holds this body only.
    const other = await submit(aComplaint({ customer: { email }, subject: '另一件事' }), headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    const queued = await visibleMessages(env, 'intake');
    const retry = await submit(body, headers);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    // The answer the first request recorded (same id, createdAt and deadlines), with a token that works.
    expect(retry.body).toEqual({ ...record.response, accessToken: expect.any(String) });
    expect((await view(record.caseId, { 'X-Case-Token': retry.body.accessToken })).status).toBe(200);
    expect(await visibleMessages(env, 'intake')).toBe(queued + 1);
    expect(await casesOfContact(email)).toEqual([record.caseId]);
    expect(await storedEntries(record.caseId)).toEqual(['created']);

    const again = await submit(body, headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
  });

  it('a retry while the first request is between its two writes: one case, both answer it', async () => {
    const email = uniqueEmail();
    const body = aComplaint({ customer: { email } });
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    const held = holdNextRequest(putOf('case'));
    const first = submit(body, headers);
    await held.reached;
    // The first request recorded its answer and waits to put its case: the retry creates it.
    const retry = await submit(body, headers);
    held.release();
    const firstResponse = await first;
    expect([firstResponse.status, retry.status]).toEqual([201, 201]);
    expect(firstResponse.body).toEqual(retry.body);
    expect(firstResponse.headers['idempotent-replayed']).toBe('true');
    expect(await casesOfContact(email)).toEqual([retry.body.caseId]);
    expect((await view(retry.body.caseId, { 'X-Case-Token': firstResponse.body.accessToken })).status).toBe(
      200,
    );
  });
});

describe('POST /cases', () => {
  it('registers a case, answers 201 with id, token and deadlines, and queues it for intake', async () => {
    const before = await visibleMessages(env, 'intake');
    const response = await submit(aComplaint({ customer: { email: uniqueEmail() } }));
    expect(response.status).toBe(201);
    expect(response.body.caseId).toMatch(/^CS\d{10}[A-Z]{2}$/);
    expect(response.body.status).toBe('received');
    expect(response.body.accessToken.length).toBeGreaterThanOrEqual(32);
    const created = Date.parse(response.body.createdAt);
    expect(Date.parse(response.body.deadlines.firstResponseDueAt) - created).toBe(2 * 3600_000);
    expect(Date.parse(response.body.deadlines.planDueAt) - created).toBe(24 * 3600_000);
    expect(Date.parse(response.body.deadlines.resolutionDueAt) - created).toBe(7 * 86_400_000);
    expect(await visibleMessages(env, 'intake')).toBe(before + 1);
  });

  it('halves the hour targets of an urgent privacy complaint', async () => {
    const response = await submit(
      aComplaint({
        subject: '我的电话号码被泄露了',
        description: '快递员把我的手机号和地址泄露给了别人，一直有骚扰电话',
      }),
    );
    const created = Date.parse(response.body.createdAt);
    expect(Date.parse(response.body.deadlines.firstResponseDueAt) - created).toBe(3600_000);
  });

  it('returns the first response again, and creates nothing, for a repeated Idempotency-Key', async () => {
    const body = aComplaint({ customer: { email: uniqueEmail() } });
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    const first = await submit(body, headers);
    const queued = await visibleMessages(env, 'intake');
    const second = await submit({ ...body }, headers);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await visibleMessages(env, 'intake')).toBe(queued);
  });

  it('answers 422 when an Idempotency-Key comes back with a different body', async () => {
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    await submit(aComplaint(), headers);
    const response = await submit(aComplaint({ subject: '另一件事' }), headers);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('idempotency_key_reused');
  });

  it('takes a key past its 24 h window as new, even before TTL removed the old record', async () => {
    const body = aComplaint({ customer: { email: uniqueEmail() } });
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    const first = await submit(body, headers);
    shiftSystemClock(25 * 3600_000);
    try {
      const later = await submit(body, headers);
      expect(later.status).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      expect(later.body.caseId).not.toBe(first.body.caseId);
      const again = await submit(body, headers);
      expect(again.body.caseId).toBe(later.body.caseId);
    } finally {
      resetSystemClock();
    }
  });

  it('scopes keys to the customer and the source: a stranger with the key and the body gets no token', async () => {
    const body = aComplaint({ customer: { email: uniqueEmail() } });
    const headers = { 'Idempotency-Key': `key-${crypto.randomUUID()}` };
    const first = await submit(body, headers, '198.51.100.1');
    const stranger = await submit(body, headers, '192.0.2.66');
    expect(stranger.status).toBe(201);
    expect(stranger.headers['idempotent-replayed']).toBeUndefined();
    expect(stranger.body.caseId).not.toBe(first.body.caseId);
    expect(stranger.body.accessToken).not.toBe(first.body.accessToken);
    const otherCustomer = await submit(
      { ...body, customer: { ...body.customer, email: uniqueEmail() } },
      headers,
      '198.51.100.1',
    );
    expect(otherCustomer.status).toBe(201);
    expect(otherCustomer.body.caseId).not.toBe(first.body.caseId);
    const retry = await submit(body, headers, '198.51.100.1');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it('creates exactly one case when the same key races', async () => {
    const body = aComplaint({ customer: { email: uniqueEmail() } });
    const headers = { 'Idempotency-Key': `race-${crypto.randomUUID()}` };
    const responses = await Promise.all([
      submit(body, headers),
      submit(body, headers),
      submit(body, headers),
    ]);
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(new Set(responses.map((response) => response.body.caseId)).size).toBe(1);
  });

  it('names every failing field path', async () => {
    const response = await submit({
      type: 'claim',
      subject: '',
      description: 'x',
      customer: { name: 'A', email: 'not-an-email', phone: '12345' },
      consent: { dataProcessing: false },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_error');
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining(['subject', 'customer.email', 'customer.phone', 'consent.dataProcessing']),
    );
    expect(response.body.error.requestId).toBeTruthy();
  });

  it('requires a waybill and a claimed amount for a claim, and a category that fits the type', async () => {
    const response = await submit(
      aComplaint({ type: 'claim', category: 'privacy', trackingNumber: undefined } as never),
    );
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['trackingNumber', 'claim', 'category']));
  });

  it('rejects control characters in what the customer wrote, naming the field', async () => {
    const response = await submit(aComplaint({ description: 'bell\u0007 and nul\u0000' }));
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual({
      path: 'description',
      message: 'Remove control and invisible format characters (U+0007)',
    });
    expect((await submit(aComplaint({ description: '第一行\n第二行\t缩进' }))).status).toBe(201);
  });

  it('accepts a bare mainland mobile and normalises it, without an email', async () => {
    const response = await submit(anInquiry({ customer: { email: undefined, phone: '138 0013 8000' } }));
    expect(response.status).toBe(201);
  });

  it('rejects a customer with neither email nor phone', async () => {
    const response = await submit(anInquiry({ customer: { email: undefined } }));
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual({
      path: 'customer.email',
      message: 'Give an email or a phone',
    });
  });

  it.each([
    ['invalid_json', 400, '{"type": "complaint",', { 'content-type': 'application/json' }],
    [
      'unsupported_media_type',
      415,
      'type=complaint',
      { 'content-type': 'application/x-www-form-urlencoded' },
    ],
    [
      'payload_too_large',
      413,
      JSON.stringify({ description: 'x'.repeat(70_000) }),
      { 'content-type': 'application/json' },
    ],
    ['validation_error', 400, '', { 'content-type': 'application/json' }],
  ])('answers %s (%i) in the error shape of API.md', async (code, status, body, headers) => {
    const response = await callApi(submitCase, {
      method: 'POST',
      routeKey: 'POST /cases',
      path: '/cases',
      body,
      headers,
    });
    expect(response.status).toBe(status);
    expect(response.body).toEqual({
      error: expect.objectContaining({ code, message: expect.any(String), requestId: expect.any(String) }),
    });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts/);
  });

  it('rejects an Idempotency-Key shorter than 8 characters', async () => {
    const response = await submit(aComplaint(), { 'Idempotency-Key': 'short' });
    expect(response.status).toBe(400);
  });
});

describe('GET /cases/{caseId}', () => {
  it('shows the case to the holder of its token, by header or by query', async () => {
    const { body } = await submit(aComplaint());
    const byHeader = await view(body.caseId, { 'X-Case-Token': body.accessToken });
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({
      caseId: body.caseId,
      status: 'received',
      deadlines: body.deadlines,
    });
    expect(byHeader.body.timeline[0]).toMatchObject({ kind: 'created' });
    expect(byHeader.body).not.toHaveProperty('customer');
    const byQuery = await view(body.caseId, {}, { token: body.accessToken });
    expect(byQuery.status).toBe(200);
  });

  it('answers 404 alike for a wrong token, a missing token and an unknown case', async () => {
    const { body } = await submit(aComplaint());
    const wrong = await view(body.caseId, { 'X-Case-Token': 'not-the-token' });
    const missing = await view(body.caseId);
    const unknown = await view('CS2601010001ZZ', { 'X-Case-Token': body.accessToken });
    for (const response of [wrong, missing, unknown]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });
});
