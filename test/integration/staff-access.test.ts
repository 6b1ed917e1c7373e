// Staff access through the real API Gateway v2 event shapes: a token whose address is not verified is
// refused, and a case's contact details are in clear for its owner, handler, team and supervisors and
// above, masked for anyone else unless revealed with a reason that goes on the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import { handler as assignCase } from '#functions/http/assign-case';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as listAgentCases } from '#functions/http/list-agent-cases';
import type { Dependencies } from '#use-cases/ports';
import { anOpenCaseViaApi, auditor, callRoute, staffClaims, supervisor } from '../support/case-routes.ts';
import * as integration from '../support/integration-environment.ts';

// One table and queue set for this file, and the stores over it to read the audit trail back.
let env: integration.IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  [env, deps] = [await integration.createIntegrationEnvironment(), await dependencies()];
});

const get = 'GET /agent/cases/{caseId}';
const timelineOf = async (caseId: string) => (await deps.cases.getCaseWithTimeline(caseId))!.timeline;
const contactReads = async (caseId: string) =>
  (await timelineOf(caseId)).filter((entry) => entry.kind === 'contact_viewed');

// A complaint about a courier's manner routes to the branch team (DOMAIN.md §3).
const branchAgent = staffClaims('agent', 'bea', 'bea@carrier.example', ['branch']);
const serviceAgent = staffClaims('agent', 'sam', 'sam@carrier.example', ['service']);
const openBranchCase = () =>
  anOpenCaseViaApi(env, {
    customer: { email: `zhang.${Date.now()}@example.com`, phone: '13800138000' } as never,
  });

describe('a staff token whose email is not verified', () => {
  it.each([
    ['says false', { ...branchAgent, email_verified: 'false' }],
    [
      'lacks the claim',
      Object.fromEntries(Object.entries(branchAgent).filter(([name]) => name !== 'email_verified')),
    ],
  ])('is refused with 403 when it %s, on reads and writes alike', async (_, claims) => {
    const { caseId } = await openBranchCase();
    const read = await callRoute(getAgentCase, get, { caseId, claims });
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/not verified/),
    });
    expect((await callRoute(listAgentCases, 'GET /agent/cases', { claims })).status).toBe(403);
    const write = await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', {
      caseId,
      body: {},
      claims,
    });
    expect(write.status).toBe(403);
    expect((await deps.cases.getCase(caseId))!.owner).toBeNull();
    expect(await contactReads(caseId)).toEqual([]);
  });

  it('is accepted once verified (API Gateway passes the claim as the string "true")', async () => {
    const { caseId } = await openBranchCase();
    expect((await callRoute(getAgentCase, get, { caseId, claims: branchAgent })).status).toBe(200);
  });
});

describe('contact details of a case', () => {
  it('are in clear for an agent of its team, and the read is on the trail', async () => {
    const { caseId, email } = await openBranchCase();
    const view = await callRoute(getAgentCase, get, { caseId, claims: branchAgent });
    expect(view.body).toMatchObject({ team: 'branch', contactMasked: false });
    expect(view.body.customer).toMatchObject({ email, phone: '+8613800138000' });
    expect(await contactReads(caseId)).toEqual([
      expect.objectContaining({ actor: 'bea', message: 'Viewed the customer contact details' }),
    ]);
  });

  it('are in clear for its handler from another team, and for a supervisor', async () => {
    const { caseId, email } = await openBranchCase();
    await callRoute(assignCase, 'POST /agent/cases/{caseId}/assign', {
      caseId,
      body: {},
      claims: serviceAgent,
    });
    const handler = await callRoute(getAgentCase, get, { caseId, claims: serviceAgent });
    expect(handler.body.customer.email).toBe(email);
    const boss = await callRoute(getAgentCase, get, { caseId, claims: supervisor });
    expect(boss.body.customer.email).toBe(email);
    expect((await contactReads(caseId)).map((entry) => entry.actor).sort()).toEqual(['sam', 'sue']);
  });

  it('are masked for an agent of another team, and a masked read is not on the trail', async () => {
    const { caseId } = await openBranchCase();
    const view = await callRoute(getAgentCase, get, { caseId, claims: serviceAgent });
    expect(view.status).toBe(200);
    expect(view.body.contactMasked).toBe(true);
    expect(view.body.customer).toMatchObject({ name: '张*', phone: '138****8000' });
    expect(view.body.customer.email).toMatch(/^z\*\*\*@example\.com$/);
    expect(await contactReads(caseId)).toEqual([]);
  });

  it('are revealed to an agent of another team who gives a reason, which goes on the trail', async () => {
    const { caseId, email } = await openBranchCase();
    const reason = '客户来电要求回拨，本组代为处理';
    const view = await callRoute(getAgentCase, get, {
      caseId,
      claims: serviceAgent,
      query: { reveal: 'contact', reason },
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ contactMasked: false, customer: { email, phone: '+8613800138000' } });
    const [read] = await contactReads(caseId);
    expect(read).toMatchObject({
      actor: 'sam',
      internal: true,
      data: { reason },
      message: `Viewed the customer contact details; reason: ${reason}`,
    });
    expect(view.body.timeline).toContainEqual(
      expect.objectContaining({ kind: 'contact_viewed', data: { reason } }),
    );
  });

  it('are not revealed without a reason (400, naming the field)', async () => {
    const { caseId } = await openBranchCase();
    const view = await callRoute(getAgentCase, get, {
      caseId,
      claims: serviceAgent,
      query: { reveal: 'contact' },
    });
    expect(view.status).toBe(400);
    expect(view.body.error).toMatchObject({
      code: 'validation_error',
      details: [expect.objectContaining({ path: 'reason' })],
    });
    expect(await contactReads(caseId)).toEqual([]);
  });

  it('stay masked for an auditor, who may not reveal them (403)', async () => {
    const { caseId } = await openBranchCase();
    expect((await callRoute(getAgentCase, get, { caseId, claims: auditor })).body.contactMasked).toBe(true);
    const reveal = await callRoute(getAgentCase, get, {
      caseId,
      claims: auditor,
      query: { reveal: 'contact', reason: 'audit sample 2026-11' },
    });
    expect(reveal.status).toBe(403);
    expect(await contactReads(caseId)).toEqual([]);
  });
});

describe('free text in a masked view', () => {
  const phoneInText = '请打电话 138 0013 8000 或发邮件 zhang.wei@example.com';
  const openCaseWithContactsInText = () =>
    anOpenCaseViaApi(env, {
      subject: `快递员态度恶劣，回电 13800138000`,
      description: `派送时快递员对我大声辱骂。${phoneInText}`,
    } as never);

  it('hides phones and emails the customer typed, for an auditor, in the case and in the list', async () => {
    const { caseId } = await openCaseWithContactsInText();
    const view = await callRoute(getAgentCase, get, { caseId, claims: auditor });
    const shown = JSON.stringify([view.body.subject, view.body.description, view.body.timeline]);
    expect(shown).not.toMatch(/13800138000|138 0013 8000|zhang\.wei@example\.com/);
    expect(view.body.description).toContain('派送时快递员对我大声辱骂');
    expect(view.body.description).toContain('@example.com');

    const list = await callRoute(listAgentCases, 'GET /agent/cases', {
      claims: auditor,
      query: { team: 'branch' },
    });
    const row = list.body.cases.find((listed: { caseId: string }) => listed.caseId === caseId);
    expect(row.subject).toContain('快递员态度恶劣');
    expect(row.subject).not.toContain('13800138000');
  });

  it('shows them to the case’s team as typed', async () => {
    const { caseId } = await openCaseWithContactsInText();
    const view = await callRoute(getAgentCase, get, { caseId, claims: branchAgent });
    expect(view.body.description).toContain(phoneInText);
    expect(view.body.subject).toContain('13800138000');
  });
});
