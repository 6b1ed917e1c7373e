// Incidents (issue 10, Build 7; API.md "Added in the second round" → Staff): a manager declares an
// incident over waybills, the customers of their open cases and the customers on a supplied list are told
// once per round through the fan-out queue, new cases on those waybills are linked at intake, and the
// close can resolve every linked case. Counted from the SES emulator, not from the product's own counters.
import { randomBytes } from 'node:crypto';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import { notAMobileNumber } from '#domain/phone-rules';
import { handler as closeIncident } from '#functions/http/close-incident';
import { handler as declareIncident } from '#functions/http/declare-incident';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as getIncident } from '#functions/http/get-incident';
import { handler as updateIncident } from '#functions/http/update-incident';
import { handler as fanoutConsumer } from '#functions/queue/incident-fanout-consumer';
import { workIncidentPage } from '#use-cases/fan-out-incident';
import {
  agent,
  anOpenCaseViaApi,
  auditor,
  callRoute,
  deliverNotifications,
  manager,
  type SubmittedCase,
} from '../support/case-routes.ts';
import {
  callApi,
  createIntegrationEnvironment,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  uniqueEmail,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

const routes = {
  declare: 'POST /agent/incidents',
  update: 'POST /agent/incidents/{incidentId}/updates',
  close: 'POST /agent/incidents/{incidentId}/close',
  get: 'GET /agent/incidents/{incidentId}',
} as const;

const message = {
  'zh-CN': '华北暴雪，北京转运中心暂停发运，恢复后优先派送。',
  en: 'Snow has closed the Beijing hub; your parcel goes first once it reopens.',
};
const expectedBy = '2026-12-02T10:00:00.000Z';

const waybill = () => `SF${randomBytes(6).toString('hex').toUpperCase()}`;

function incidentCall(
  handler: Parameters<typeof callApi>[0],
  route: string,
  options: { incidentId?: string; body?: unknown; claims?: Record<string, string> },
) {
  const [method, template] = route.split(' ') as ['GET' | 'POST', string];
  return callApi(handler, {
    method,
    routeKey: route,
    path: options.incidentId ? template.replace('{incidentId}', options.incidentId) : template,
    ...(options.incidentId ? { pathParameters: { incidentId: options.incidentId } } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    claims: options.claims ?? manager,
  });
}

/** Every queued page worked, and every notice it queued delivered. */
async function fanOutAndDeliver() {
  await drainQueue(env, 'incidentFanout', fanoutConsumer);
  await deliverNotifications(env);
}

const noticesTo = async (address: string, subjectPart: string) =>
  (await emailsTo(env, address)).filter((email) => email.subject.includes(subjectPart));

describe('an incident over 3 waybills with open cases', () => {
  let cases: Array<SubmittedCase & { waybill: string }>;
  let incidentId: string;

  beforeAll(async () => {
    cases = [];
    for (let n = 0; n < 3; n += 1) {
      const trackingNumber = waybill();
      cases.push({ ...(await anOpenCaseViaApi(env, { trackingNumber })), waybill: trackingNumber });
    }
    await deliverNotifications(env);
    const declared = await incidentCall(declareIncident, routes.declare, {
      body: {
        title: '华北暴雪',
        cause: 'weather',
        trackingNumbers: cases.map((c) => c.waybill.toLowerCase()),
        message,
        expectedBy,
      },
    });
    expect(declared.status).toBe(201);
    incidentId = declared.body.incidentId;
    expect(declared.body).toMatchObject({ status: 'active', notified: { queued: 3 } });
    expect([...declared.body.linkedCaseIds].sort()).toEqual(cases.map((c) => c.caseId).sort());
    await fanOutAndDeliver();
    // A second delivery of everything changes nothing: the notices are settled.
    await fanOutAndDeliver();
  });

  it('sends exactly 3 notices, one to each customer, stating the cause and the expected date', async () => {
    for (const submitted of cases) {
      const notices = await noticesTo(submitted.email, '您的快递可能延误');
      expect(notices).toHaveLength(1);
      expect(notices[0]?.subject).toContain(submitted.caseId);
      expect(notices[0]?.body.text).toContain('恶劣天气');
      expect(notices[0]?.body.text).toContain('2026-12-02 18:00');
    }
    const view = await incidentCall(getIncident, routes.get, { incidentId, claims: auditor });
    expect(view.status).toBe(200);
    expect(view.body.notifications).toEqual({ queued: 3, sent: 3, skipped: 0, failed: 0 });
    expect(view.body.trackingNumbers).toEqual(cases.map((c) => c.waybill));
  });

  it('links each open case, with a linked entry on its timeline', async () => {
    const view = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', {
      caseId: cases[0]!.caseId,
      claims: agent,
    });
    expect(view.body.incidentId).toBe(incidentId);
    expect(view.body.timeline.filter((entry: { kind: string }) => entry.kind === 'linked')).toHaveLength(1);
  });

  it('links a new case on one of those waybills at intake, and its acknowledgement states the cause', async () => {
    const latecomer = await anOpenCaseViaApi(env, { trackingNumber: cases[1]!.waybill });
    await deliverNotifications(env);
    const view = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', {
      caseId: latecomer.caseId,
      claims: agent,
    });
    expect(view.body.incidentId).toBe(incidentId);
    const linked = view.body.timeline.find((entry: { kind: string }) => entry.kind === 'linked');
    expect(linked?.data).toMatchObject({ incidentId, cause: 'weather', expectedBy });
    const [ack] = await noticesTo(latecomer.email, '已受理');
    expect(ack?.body.text).toContain('恶劣天气');
    expect(ack?.body.text).toContain(incidentId);
    const incident = await incidentCall(getIncident, routes.get, { incidentId });
    expect(incident.body.linkedCaseIds).toContain(latecomer.caseId);
  });

  it('tells every linked customer of an update exactly once, however often its pages are worked', async () => {
    const update = await incidentCall(updateIncident, routes.update, {
      incidentId,
      body: { message: { 'zh-CN': '转运中心已恢复发运。', en: 'The hub has reopened.' } },
    });
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ incidentId, status: 'active', round: 1 });
    await drainQueue(env, 'incidentFanout', fanoutConsumer);
    await fanOutAndDeliver();
    for (const submitted of cases) {
      expect(await noticesTo(submitted.email, '延误最新进展')).toHaveLength(1);
    }
    const view = await incidentCall(getIncident, routes.get, { incidentId });
    // 3 declaration notices, then 4 linked cases (the latecomer too) told of the update.
    expect(view.body.notifications).toEqual({ queued: 7, sent: 7, skipped: 0, failed: 0 });
  });

  it('closes with resolveCases: every linked open case resolved with the message, each on its own timeline', async () => {
    const closed = await incidentCall(closeIncident, routes.close, {
      incidentId,
      body: {
        message: { 'zh-CN': '包裹已全部派送。', en: 'Every parcel has been delivered.' },
        resolveCases: true,
      },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', round: 2 });
    await fanOutAndDeliver();
    for (const submitted of cases) {
      const view = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', {
        caseId: submitted.caseId,
        claims: agent,
      });
      expect(view.body.status).toBe('resolved');
      const resolved = view.body.timeline.filter((entry: { kind: string }) => entry.kind === 'resolved');
      expect(resolved).toHaveLength(1);
      expect(resolved[0].message).toBe('包裹已全部派送。');
      expect(await noticesTo(submitted.email, '已处理完毕')).toHaveLength(1);
    }
    const again = await incidentCall(updateIncident, routes.update, { incidentId, body: { message } });
    expect(again.status).toBe(409);
  });
});

/** An incident declared over `count` customers without a case, each with a waybill of their own. */
async function declaredOverContacts(
  count: number,
  tag: string,
  listed = <T>(contacts: T[]): T[] => contacts,
) {
  const contacts = Array.from({ length: count }, () => ({
    trackingNumber: waybill(),
    email: uniqueEmail(tag),
    locale: 'en' as const,
  }));
  const declared = await incidentCall(declareIncident, routes.declare, {
    body: {
      title: 'Hub closed',
      cause: 'operations',
      trackingNumbers: contacts.map((c) => c.trackingNumber),
      message,
      contacts: listed(contacts),
    },
  });
  return { contacts, declared };
}

describe('the proactive delay notice', () => {
  it('tells 50 customers without a case once each, and counts them on the incident', async () => {
    // The same customer listed twice is told once.
    const { contacts, declared } = await declaredOverContacts(50, 'proactive', (listed) => [
      ...listed,
      listed[0],
    ]);
    expect(declared.status).toBe(201);
    expect(declared.body.notified).toEqual({ queued: 50 });
    await fanOutAndDeliver();
    await fanOutAndDeliver();
    for (const contact of contacts) {
      const notices = await noticesTo(contact.email, 'Your parcel may be delayed');
      expect(notices).toHaveLength(1);
      expect(notices[0]?.subject).toContain(contact.trackingNumber);
    }
    const view = await incidentCall(getIncident, routes.get, { incidentId: declared.body.incidentId });
    expect(view.body).toMatchObject({ contacts: 50, linkedCaseIds: [] });
    expect(view.body.notifications).toEqual({ queued: 50, sent: 50, skipped: 0, failed: 0 });
  });
});

describe('a page whose notices the queue did not take', () => {
  it('fails, so its message retries it; the notices wait outside the sweep’s index, and go out once', async () => {
    const { contacts, declared } = await declaredOverContacts(3, 'handoff');
    expect(declared.status).toBe(201);
    const { url } = env.queues.incidentFanout;
    const received = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const pages = (received.Messages ?? []).map((page) => ({
      body: JSON.parse(page.Body ?? '{}'),
      receipt: page.ReceiptHandle,
    }));
    const contactPages = pages.filter((page) => page.body.incidentId === declared.body.incidentId);
    expect(contactPages.length).toBeGreaterThan(0);
    const deps = await dependencies();
    const queueDown = {
      ...deps,
      queues: { ...deps.queues, notifications: { send: () => Promise.reject(new Error('SQS is down')) } },
    };
    for (const page of contactPages) {
      await expect(workIncidentPage(page.body, queueDown)).rejects.toThrow('SQS is down');
    }
    // Written, pending, and not in the outbox index: the page's own retry hands them over, not the sweep.
    const notices = await DynamoDBDocumentClient.from(env.dynamodb).send(
      new ScanCommand({
        TableName: env.tableName,
        FilterExpression: 'entity = :notification AND recipient IN (:a, :b, :c)',
        ExpressionAttributeValues: {
          ':notification': 'notification',
          ...Object.fromEntries(contacts.map((contact, n) => [`:${'abc'[n]}`, contact.email])),
        },
      }),
    );
    expect(notices.Items?.map((notice) => [notice.status, notice.outboxShard])).toEqual(
      contacts.map(() => ['pending', undefined]),
    );
    const noticeIds = (
      await Promise.all(contactPages.map((page) => workIncidentPage(page.body, deps)))
    ).reduce((total, worked) => total + worked.queued, 0);
    expect(noticeIds).toBe(3);
    for (const page of pages) {
      await env.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: page.receipt }));
    }
    await deliverNotifications(env);
    await deliverNotifications(env);
    for (const contact of contacts) {
      expect(await noticesTo(contact.email, 'Your parcel may be delayed')).toHaveLength(1);
    }
  });
});

describe("a contact's phone", () => {
  const declareWith = (phones: Array<{ phone: string; email?: string }>) => {
    const trackingNumber = waybill();
    return incidentCall(declareIncident, routes.declare, {
      body: {
        title: 'Hub closed',
        cause: 'operations',
        message,
        trackingNumbers: [trackingNumber],
        contacts: phones.map((contact) => ({ trackingNumber, ...contact })),
      },
    });
  };

  it('is read as a mobile number: the same number written two ways is one customer, told once', async () => {
    const declared = await declareWith([{ phone: '139-0000-1111' }, { phone: '(+86) 139 0000 1111' }]);
    expect(declared.status).toBe(201);
    expect(declared.body.notified).toEqual({ queued: 1 });
  });

  it('that is no mobile number is refused with 400 naming the contact, as for a submitted case', async () => {
    const answer = await declareWith([
      { phone: '13900001111' },
      { phone: '010-65529988' },
      { email: uniqueEmail('landline'), phone: '+8612345678' },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: 'contacts.1.phone', message: notAMobileNumber },
      { path: 'contacts.2.phone', message: notAMobileNumber },
    ]);
  });
});

describe('who may declare', () => {
  const body = { title: 'x', cause: 'other', trackingNumbers: ['SF0000000001'], message };

  it('refuses agents and auditors with 403', async () => {
    for (const claims of [agent, auditor]) {
      expect((await incidentCall(declareIncident, routes.declare, { body, claims })).status).toBe(403);
    }
  });

  it('answers 404 for an unknown incident and 400 for a malformed id', async () => {
    expect((await incidentCall(getIncident, routes.get, { incidentId: 'IN2611300000ZZZZ' })).status).toBe(
      404,
    );
    expect((await incidentCall(getIncident, routes.get, { incidentId: 'nope' })).status).toBe(400);
  });

  it('refuses more waybills than the limit with 400 naming the field', async () => {
    const tooMany = Array.from({ length: 10_001 }, (_, n) => `SF${String(n).padStart(10, '0')}`);
    const answer = await incidentCall(declareIncident, routes.declare, {
      body: { ...body, trackingNumbers: tooMany },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: 'trackingNumbers', message: 'At most 10000 waybills per incident' },
    ]);
  });
});
