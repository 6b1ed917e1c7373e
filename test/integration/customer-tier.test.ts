// PUT /agent/customers/tier against the emulators: who may set a tier, what the body must hold, and what a
// changed tier does to the customer's open case (through the slaWork queue) and to their next case.
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import { notAMobileNumber } from '#domain/phone-rules';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as setCustomerTier } from '#functions/http/set-customer-tier';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as slaWorkConsumer } from '#functions/queue/sla-work-consumer';
import type { Dependencies } from '#use-cases/ports';
import { agent, anOpenCaseViaApi, auditor, callRoute, manager, supervisor } from '../support/case-routes.ts';
import { aComplaint } from '../support/factories.ts';
import {
  createIntegrationEnvironment,
  drainQueue,
  type IntegrationEnvironment,
  uniqueEmail,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});

const route = 'PUT /agent/customers/tier';
const setTier = (body: unknown, claims = manager) => callRoute(setCustomerTier, route, { body, claims });
const agentView = async (caseId: string) =>
  (await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', { caseId, claims: supervisor })).body;
const hours = (iso: string, n: number) => new Date(Date.parse(iso) + n * 3600_000).toISOString();

describe('PUT /agent/customers/tier: who and what', () => {
  it.each([
    ['an agent', agent],
    ['a supervisor', supervisor],
    ['an auditor', auditor],
  ])('refuses %s (403)', async (_who, claims) => {
    const { status, body } = await setTier({ email: uniqueEmail(), tier: 'vip' }, claims);
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('needs an email or a phone (400, naming the field)', async () => {
    const { status, body } = await setTier({ tier: 'vip' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'email' }] });
  });

  it.each([
    [{ email: 'not-an-email', tier: 'vip' }, 'email'],
    [{ phone: '12345', tier: 'vip' }, 'phone'],
    [{ email: 'a@example.com', tier: 'gold' }, 'tier'],
    [{ email: 'a@example.com', tier: 'vip', note: 'x' }, 'note'],
  ])('refuses %j (400 at %s)', async (request, path) => {
    const { status, body } = await setTier(request);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_error');
    expect(body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
  });

  it('refuses a phone that is no mobile number with the message a submitted case gets', async () => {
    const { status, body } = await setTier({ phone: '010-65529988', tier: 'vip' });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: 'phone', message: notAMobileNumber }]);
  });

  it('answers the tier a manager set, and keeps who set it', async () => {
    const email = uniqueEmail('vip');
    const { status, body } = await setTier({ email, phone: '13800138000', tier: 'enterprise' });
    expect(status).toBe(200);
    expect(body).toEqual({ tier: 'enterprise', casesQueued: 0 });
    const hashes = [deps.keyring.hashContact(email), deps.keyring.hashContact('+8613800138000')];
    expect(await deps.customers.tierOf([hashes[0]!])).toBe('enterprise');
    expect(await deps.customers.tierOf([hashes[1]!])).toBe('enterprise');
    expect(await deps.customers.tierOf([deps.keyring.hashContact(uniqueEmail())])).toBe('standard');
  });
});

describe("a customer's tier changes their cases", () => {
  it('re-prioritises an open case with its running clocks, and registers the next case with the tier', async () => {
    const email = uniqueEmail('soon-vip');
    // A rude-courier complaint: high priority, first response 2 h, plan 24 h.
    const open = await anOpenCaseViaApi(env, { customer: { email } } as never);
    const other = await anOpenCaseViaApi(env);
    const before = await agentView(open.caseId);
    expect(before).toMatchObject({ priority: 'high', tier: 'standard', escalationLevel: 0 });

    const { status, body } = await setTier({ email: email.toUpperCase(), tier: 'vip' });
    expect(status).toBe(200);
    expect(body).toEqual({ tier: 'vip', casesQueued: 1 });
    expect(await drainQueue(env, 'slaWork', slaWorkConsumer)).toBe(1);

    const after = await agentView(open.caseId);
    const started = before.clocks.firstResponse.startedAt;
    expect(after).toMatchObject({
      priority: 'urgent',
      tier: 'vip',
      escalationLevel: 2,
      customer: expect.objectContaining({ tier: 'vip' }),
    });
    expect(after.clocks.firstResponse).toMatchObject({ startedAt: started, dueAt: hours(started, 1) });
    expect(after.clocks.plan.dueAt).toBe(hours(started, 12));
    expect(after.deadlines.firstResponseDueAt).toBe(hours(started, 1));
    expect(after.timeline.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['tier_changed', 'escalated']),
    );
    expect((await agentView(other.caseId)).priority).toBe('high');

    // The same message again (a redelivery) finds nothing left to change.
    await setTier({ email, tier: 'vip' });
    await drainQueue(env, 'slaWork', slaWorkConsumer);
    const again = await agentView(open.caseId);
    expect(again.timeline.filter((entry: { kind: string }) => entry.kind === 'tier_changed')).toHaveLength(1);

    const next = await callRoute(submitCase, 'POST /cases', { body: aComplaint({ customer: { email } }) });
    expect(next.status).toBe(201);
    expect(next.body.deadlines.firstResponseDueAt).toBe(hours(next.body.createdAt, 1));
  });
});
