// The abuse limits at production values, against DynamoDB Local: the source's submissions per minute and
// a case's messages per day are 429s naming the limit; a recipient's cases past the limit are stored but
// acknowledged no more, with the reason on the timeline; SMS stop at the month's budget. A recipient's
// message limits count only what a stranger can cause: a staff reply neither spends nor meets them.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKey } from '#adapters/case-keys';
import { resetSystemClock, setSystemClock, systemClock } from '#adapters/clock';
import { dependencies, resetDependencies } from '#adapters/dependencies';
import { handler as addMessage } from '#functions/http/add-customer-message';
import { handler as replyToCase } from '#functions/http/reply-to-case';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import { handler as smsNotificationConsumer } from '#functions/queue/sms-notification-consumer';
import {
  type AbuseLimits,
  type LimitName,
  type LimitWindow,
  productionLimits,
  windowAt,
} from '#shared/abuse-limits';
import { resetConfigCache } from '#shared/config';
import { agent, anOpenCaseViaApi, callRoute } from '../support/case-routes.ts';
import { aComplaint, anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  smsTo,
  uniqueEmail,
  uniqueMobile,
  unlimited,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});
afterEach(() => resetSystemClock());

function useLimits(limits: AbuseLimits): void {
  process.env.ABUSE_LIMITS = JSON.stringify(limits);
  resetConfigCache();
  resetDependencies();
}

const submit = (body: unknown, headers: Record<string, string> = {}, sourceIp?: string) =>
  callApi(submitCase, { method: 'POST', routeKey: 'POST /cases', path: '/cases', body, headers, sourceIp });
const randomIp = (first: number) =>
  [first, ...Array.from({ length: 3 }, () => Math.floor(Math.random() * 254) + 1)].join('.');

/** A recipient's limit counters of today's item, as stored (one item per scope and day: rate-limit-store.ts). */
async function recipientCounts(contact: string): Promise<Record<string, number> | undefined> {
  const deps = await dependencies();
  const { pk, sk } = rateLimitKey(
    deps.keyring.hashContact(contact),
    windowAt('day', systemClock.now()).label,
  );
  const { Item } = await env.dynamodb.send(
    new GetItemCommand({
      TableName: env.tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const counters = Object.entries(Item).filter(([name]) => /^[a-z]{2}\d*$/.test(name));
  return Object.fromEntries(counters.map(([name, value]) => [name, Number(value.N)]));
}

/** An agent's reply on the case: a message the customer gets that no stranger can cause. */
const agentReplies = (caseId: string) =>
  callRoute(replyToCase, 'POST /agent/cases/{caseId}/reply', {
    caseId,
    body: { message: '您好，我们已联系网点核实。' },
    claims: agent,
  });

async function timelineKinds(caseId: string) {
  const deps = await dependencies();
  return (await deps.cases.getCaseWithTimeline(caseId))!.timeline;
}

describe('abuse limits', () => {
  it(`answers 429 source_per_minute with Retry-After past ${productionLimits.sourcePerMinute} submissions a minute from one IP`, async () => {
    useLimits({ ...unlimited, sourcePerMinute: productionLimits.sourcePerMinute });
    setSystemClock(new Date('2026-12-02T03:00:01Z')); // early in a minute: every submission in one window
    const source = randomIp(203);
    const answers = [];
    for (let n = 0; n < productionLimits.sourcePerMinute + 2; n += 1) {
      answers.push(await submit(anInquiry({ customer: { email: uniqueEmail() } }), {}, source));
    }
    expect(answers.filter((a) => a.status === 201)).toHaveLength(productionLimits.sourcePerMinute);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    const retryAfter = Number(refused[0]!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused[0]!.body.error).toMatchObject({
      code: 'rate_limited',
      details: [{ path: 'limit', message: 'source_per_minute' }],
    });
  });

  it('counts each viewer behind CloudFront by x-viewer-ip, and API Gateway’s address when that is no address', async () => {
    useLimits({ ...unlimited, sourcePerMinute: 2 });
    setSystemClock(new Date('2026-12-02T04:00:01Z')); // early in a minute: every submission in one window
    // API Gateway sees one CloudFront edge for every viewer it serves.
    const edge = randomIp(130);
    const [first, second] = [randomIp(198), `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}`];
    const statusOf = async (headers: Record<string, string>) =>
      (await submit(anInquiry({ customer: { email: uniqueEmail() } }), headers, edge)).status;
    const viewer = (ip: string) => ({ 'x-viewer-ip': ip });
    expect([await statusOf(viewer(first)), await statusOf(viewer(first))]).toEqual([201, 201]);
    expect(await statusOf(viewer(first))).toBe(429);
    // Another viewer of the same edge is not lumped in with the first.
    expect(await statusOf(viewer(second))).toBe(201);
    // Junk, or several values joined, counts on the address API Gateway saw, which has no count yet.
    expect([await statusOf(viewer('not-an-ip')), await statusOf(viewer(`${first}, ${second}`))]).toEqual([
      201, 201,
    ]);
    expect(await statusOf({})).toBe(429);
  });

  it('stores a case past the recipient limit, sends it no acknowledgement, and says why on its timeline', async () => {
    useLimits({ ...unlimited, recipientCasesPerHour: productionLimits.recipientCasesPerHour });
    const email = uniqueEmail();
    const caseIds: string[] = [];
    for (let n = 0; n < 20; n += 1) {
      const answer = await submit(aComplaint({ customer: { email } }));
      expect(answer.status).toBe(201);
      caseIds.push(answer.body.caseId);
    }
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'notifications', notificationConsumer);
    // The later cases are linked as duplicates of the first: those notices count as messages, not cases.
    const acknowledgements = (await emailsTo(env, email)).filter((mail) => mail.subject.includes('已受理'));
    expect(acknowledgements).toHaveLength(productionLimits.recipientCasesPerHour);
    const skipped = [];
    for (const caseId of caseIds) {
      const entry = (await timelineKinds(caseId)).find((e) => e.kind === 'notification_skipped');
      if (entry) skipped.push(entry);
    }
    expect(skipped).toHaveLength(20 - productionLimits.recipientCasesPerHour);
    expect(skipped[0]).toMatchObject({
      internal: true,
      data: { reason: 'rate_limited', limit: 'recipient_cases_per_hour' },
    });
  });

  it('sends no SMS beyond the monthly count the spend cap allows, and notes it on the timeline', async () => {
    useLimits({ ...unlimited, smsMonthlySpendUsd: 0.1, smsPriceUsd: 0.05 });
    setSystemClock(new Date('2026-12-01T02:00:00Z')); // 10:00 in Beijing, outside the SMS quiet hours
    const phones = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const caseIds: string[] = [];
    for (const phone of phones) {
      const body = anInquiry({ customer: { email: undefined, phone, locale: 'zh-CN' } });
      caseIds.push((await submit(body)).body.caseId);
    }
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    const sent = await Promise.all(phones.map((phone) => smsTo(env, phone)));
    expect(sent.map((messages) => messages.length).sort()).toEqual([0, 1, 1]);
    const notes = (await Promise.all(caseIds.map(timelineKinds)))
      .flat()
      .filter((entry) => entry.kind === 'notification_skipped');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.data).toMatchObject({ reason: 'rate_limited', limit: 'sms_per_month' });
  });

  it('counts acknowledgements against the recipient’s message limit and refuses one past it', async () => {
    useLimits({ ...unlimited, recipientMessagesPerHour: 1 });
    setSystemClock(new Date('2026-12-03T02:00:01Z')); // early in an hour: both in one window
    const email = uniqueEmail();
    const first = (await submit(anInquiry({ customer: { email } }))).body.caseId;
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await recipientCounts(email)).toMatchObject({ mh02: 1, md: 1, ch02: 1, cd: 1 });
    const second = (await submit(anInquiry({ customer: { email } }))).body.caseId;
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await emailsTo(env, email)).toHaveLength(1);
    expect((await timelineKinds(first)).some((e) => e.kind === 'notification_skipped')).toBe(false);
    expect((await timelineKinds(second)).find((e) => e.kind === 'notification_skipped')).toMatchObject({
      internal: true,
      data: { reason: 'rate_limited', limit: 'recipient_messages_per_hour' },
    });
    // The refusal counted nothing.
    expect(await recipientCounts(email)).toMatchObject({ mh02: 1, md: 1, ch02: 1, cd: 1 });
  });

  // Before, a staff reply counted against these limits too (one write, and a customer's 11th message of the
  // hour from their own agent was refused): only what a stranger can cause counts now.
  it('delivers a staff reply to a recipient whose message limit is spent, and writes no limit for it', async () => {
    useLimits({ ...unlimited, recipientMessagesPerHour: 1 });
    setSystemClock(new Date('2026-12-03T03:00:01Z'));
    const email = uniqueEmail();
    const { caseId } = await anOpenCaseViaApi(env, { customer: { name: '张三', email } });
    await drainQueue(env, 'notifications', notificationConsumer);
    expect(await emailsTo(env, email)).toHaveLength(1); // the acknowledgement spent the hour's one message
    const spent = await recipientCounts(email);
    expect(spent).toMatchObject({ mh03: 1, md: 1 });
    const replied = await agentReplies(caseId);
    expect(replied.status).toBe(201);
    await drainQueue(env, 'notifications', notificationConsumer);
    const mails = await emailsTo(env, email);
    expect(mails).toHaveLength(2);
    expect(mails.some((mail) => mail.body.text?.includes('我们已联系网点核实'))).toBe(true);
    expect((await timelineKinds(caseId)).some((e) => e.kind === 'notification_skipped')).toBe(false);
    expect(await recipientCounts(email)).toEqual(spent);
  });

  it('still counts a staff reply by SMS against the month’s SMS budget, and nothing else', async () => {
    useLimits({ ...unlimited, recipientMessagesPerHour: 1, smsMonthlySpendUsd: 0.05, smsPriceUsd: 0.05 });
    setSystemClock(new Date('2027-01-04T02:00:01Z')); // a month of its own; 10:00 in Beijing
    const phone = uniqueMobile();
    const body = aComplaint({ customer: { email: undefined, phone, locale: 'zh-CN' } });
    const { caseId } = (await submit(body)).body;
    await drainQueue(env, 'intake', intakeConsumer);
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    expect(await smsTo(env, phone)).toHaveLength(1); // the acknowledgement spent the month's one SMS
    const spent = await recipientCounts(phone);
    const replied = await agentReplies(caseId);
    expect(replied.status).toBe(201);
    await drainQueue(env, 'smsNotifications', smsNotificationConsumer);
    expect(await smsTo(env, phone)).toHaveLength(1);
    expect((await timelineKinds(caseId)).find((e) => e.kind === 'notification_skipped')).toMatchObject({
      data: { reason: 'rate_limited', limit: 'sms_per_month' },
    });
    expect(await recipientCounts(phone)).toEqual(spent);
  });

  it('answers 429 case_messages_per_day past the day’s customer messages on one case', async () => {
    useLimits({ ...unlimited, caseMessagesPerDay: 2 });
    const created = await submit(anInquiry({ customer: { email: uniqueEmail() } }));
    const send = () =>
      callApi(addMessage, {
        method: 'POST',
        routeKey: 'POST /cases/{caseId}/messages',
        path: `/cases/${created.body.caseId}/messages`,
        pathParameters: { caseId: created.body.caseId },
        headers: { 'X-Case-Token': created.body.accessToken },
        body: { message: '补充一下：包裹外箱有破损' },
      });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.body.error.details).toEqual([{ path: 'limit', message: 'case_messages_per_day' }]);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not count a stranger’s wrong token against the case', async () => {
    useLimits({ ...unlimited, caseMessagesPerDay: 1 });
    const created = await submit(anInquiry({ customer: { email: uniqueEmail() } }));
    const send = (token: string) =>
      callApi(addMessage, {
        method: 'POST',
        routeKey: 'POST /cases/{caseId}/messages',
        path: `/cases/${created.body.caseId}/messages`,
        pathParameters: { caseId: created.body.caseId },
        headers: { 'X-Case-Token': token },
        body: { message: '我还有一个问题' },
      });
    expect((await send('x'.repeat(43))).status).toBe(404);
    expect((await send(created.body.accessToken)).status).toBe(201);
  });
});

describe('the limit counters (one write per scope and span)', () => {
  const window = (name: LimitName, limit: number): LimitWindow => ({
    name,
    limit,
    per: name.endsWith('hour') ? 'hour' : 'day',
  });

  it('counts a recipient’s hourly and daily limits in one item, names the spent one, and counts none then', async () => {
    const deps = await dependencies();
    const scope = `hash-${uniqueEmail()}`;
    const now = new Date('2026-11-30T05:10:00Z');
    const counters = [
      { window: window('recipient_messages_per_hour', 5), scope },
      { window: window('recipient_messages_per_day', 2), scope },
    ];
    expect(await deps.rateLimits.take(counters, now)).toEqual({ allowed: true });
    expect(await deps.rateLimits.take(counters, new Date('2026-11-30T06:10:00Z'))).toEqual({ allowed: true });
    // The day's two are spent (the hour's are not): the answer names the daily limit, until the day ends.
    expect(await deps.rateLimits.take(counters, new Date('2026-11-30T07:10:00Z'))).toEqual({
      allowed: false,
      limit: 'recipient_messages_per_day',
      retryAfterSeconds: 16 * 3600 + 50 * 60,
    });
    // Nothing was counted by the refusal: the 07:00 hour's counter is still free for a larger day's limit.
    const moreOfTheDay = [
      { window: window('recipient_messages_per_hour', 1), scope },
      { window: window('recipient_messages_per_day', 3), scope },
    ];
    expect(await deps.rateLimits.take(moreOfTheDay, new Date('2026-11-30T07:20:00Z'))).toEqual({
      allowed: true,
    });
    expect(await deps.rateLimits.take(moreOfTheDay, new Date('2026-11-30T07:30:00Z'))).toMatchObject({
      allowed: false,
      limit: 'recipient_messages_per_hour',
    });
  });
});
