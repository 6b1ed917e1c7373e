// An incident's whole life over HTTP in the real sandbox, whose grant checker holds every DynamoDB call a
// function makes to the catalogue's access (infra/sandbox/table-grants.ts): declared over a case's waybill
// and one customer without a case, then an update and the close that resolves the linked case. A function
// granted less than its route needs answers 500 here, or its queue work dead-letters.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaint } from '../support/factories.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';

let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.stop();
});

const waybill = () => `SF${randomBytes(6).toString('hex').toUpperCase()}`;
const message = (text: string) => ({ 'zh-CN': text, en: 'The Beijing hub: an update on your parcel.' });

type Progress = { queued: number; sent: number; skipped: number; failed: number };

describe('an incident declared, updated and closed over HTTP', () => {
  const run = Date.now();
  const caseEmail = `incident.case.${run}@example.com`;
  const contactEmail = `incident.contact.${run}@example.com`;
  let manager: string;
  let incidentId: string;
  let linked: { caseId: string; token: string };

  /** The incident's notice counters once every queued notice is settled. */
  async function settled(queued: number): Promise<Progress> {
    return sandbox.waitFor(
      async () => {
        const view = await sandbox.api('GET', `/agent/incidents/${incidentId}`, { token: manager });
        const progress = view.body?.notifications as Progress | undefined;
        return progress &&
          progress.queued >= queued &&
          progress.sent + progress.skipped + progress.failed === progress.queued
          ? progress
          : undefined;
      },
      `${queued} incident notices settled`,
      30_000,
    );
  }

  beforeAll(async () => {
    manager = sandbox.token('manager', 'max', 'max@carrier.example');
    const trackingNumber = waybill();
    const submitted = await sandbox.api('POST', '/cases', {
      body: aComplaint({ trackingNumber, customer: { email: caseEmail } }),
    });
    expect(submitted.status).toBe(201);
    linked = { caseId: submitted.body.caseId, token: submitted.body.accessToken };
    await sandbox.waitFor(
      async () => (await sandbox.emailsTo(caseEmail)).length === 1,
      'the acknowledgement',
    );

    const declared = await sandbox.api('POST', '/agent/incidents', {
      token: manager,
      body: {
        title: '华北暴雪：北京转运中心停运',
        cause: 'weather',
        trackingNumbers: [trackingNumber],
        message: message('华北暴雪，北京转运中心暂停发运，恢复后优先派送。'),
        contacts: [{ trackingNumber: waybill(), email: contactEmail }],
      },
    });
    expect(declared.status).toBe(201);
    expect(declared.body.linkedCaseIds).toEqual([linked.caseId]);
    incidentId = declared.body.incidentId;
    await settled(2);
  });

  it('tells the linked customer and the contact of an update, once each', async () => {
    const update = await sandbox.api('POST', `/agent/incidents/${incidentId}/updates`, {
      token: manager,
      body: { message: message('转运中心已恢复发运。') },
    });
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ incidentId, status: 'active', round: 1 });
    expect(await settled(4)).toEqual({ queued: 4, sent: 4, skipped: 0, failed: 0 });
    // The acknowledgement, the declaration's notice and the update's.
    expect(await sandbox.emailsTo(caseEmail)).toHaveLength(3);
    expect(await sandbox.emailsTo(contactEmail)).toHaveLength(2);
  });

  it('closes, resolving the linked case, whose customer hears of it by the resolution; nothing is dead-lettered', async () => {
    const closed = await sandbox.api('POST', `/agent/incidents/${incidentId}/close`, {
      token: manager,
      body: { message: message('包裹已全部派送。'), resolveCases: true },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ incidentId, status: 'closed', round: 2 });
    // One more incident notice, the contact's: the linked customer is told by the case's resolution.
    expect(await settled(5)).toEqual({ queued: 5, sent: 5, skipped: 0, failed: 0 });
    const view = await sandbox.waitFor(async () => {
      const answer = await sandbox.api('GET', `/cases/${linked.caseId}`, {
        headers: { 'X-Case-Token': linked.token },
      });
      return answer.body?.status === 'resolved' ? answer.body : undefined;
    }, 'the linked case resolved');
    expect(view.timeline.filter((entry: { kind: string }) => entry.kind === 'resolved')).toHaveLength(1);
    expect(await sandbox.emailsTo(contactEmail)).toHaveLength(3);
    // The acknowledgement, the declaration's and the update's notices, and the resolution.
    await sandbox.waitFor(
      async () => (await sandbox.emailsTo(caseEmail)).length === 4,
      'the resolution email',
    );
    expect(await sandbox.emailsTo(caseEmail)).toHaveLength(4);
    const { body } = await sandbox.api('GET', '/_sandbox/queues');
    for (const queue of body.queues as Array<{ name: string; deadLetters?: number }>) {
      expect(queue.deadLetters ?? 0, queue.name).toBe(0);
    }
  });
});
