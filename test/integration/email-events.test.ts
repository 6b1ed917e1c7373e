// SES bounces and complaints, as EventBridge puts them on the emailEvents queue: the address is
// suppressed, the case notes it for staff, and no later email goes there.
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import type { SesEmailEvent } from '#events/email-events';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as emailEventsConsumer } from '#functions/queue/email-events-consumer';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { handler as notificationConsumer } from '#functions/queue/notification-consumer';
import type { Dependencies } from '#use-cases/ports';
import { anInquiry } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  deliverBatch,
  drainQueue,
  emailsTo,
  type IntegrationEnvironment,
  uniqueEmail,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
let deps: Dependencies;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
  deps = await dependencies();
});

/** A case whose acknowledgement went out by email; returns the case id. */
async function acknowledgedCase(email: string): Promise<string> {
  const response = await callApi(submitCase, {
    method: 'POST',
    routeKey: 'POST /cases',
    path: '/cases',
    body: anInquiry({ customer: { email } }),
  });
  expect(response.status).toBe(201);
  await drainQueue(env, 'intake', intakeConsumer);
  await drainQueue(env, 'notifications', notificationConsumer);
  return response.body.caseId;
}

/** What EventBridge delivers for an SES bounce or complaint on our configuration set. */
function sesEvent(
  kind: 'bounce' | 'complaint',
  email: string,
  caseId: string,
  bounceType: 'Permanent' | 'Transient' = 'Permanent',
): SesEmailEvent {
  const now = new Date().toISOString();
  const mail = {
    timestamp: now,
    messageId: `0100${randomUUID()}-000000`,
    destination: [email],
    tags: {
      'ses:configuration-set': ['parcel-care-dev'],
      caseId: [caseId],
      notificationId: [`${caseId}.ack.email`],
    },
  };
  const envelope = {
    version: '0',
    id: randomUUID(),
    account: '123456789012',
    time: now,
    region: 'ap-east-1',
    resources: [],
    source: 'aws.ses' as const,
  };
  const feedbackId = `0100${randomUUID()}-000000`;
  return kind === 'bounce'
    ? {
        ...envelope,
        'detail-type': 'Email Bounced',
        detail: {
          eventType: 'Bounce',
          mail,
          bounce: {
            bounceType,
            bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
            bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1' }],
            timestamp: now,
            feedbackId,
          },
        },
      }
    : {
        ...envelope,
        'detail-type': 'Email Complaint Received',
        detail: {
          eventType: 'Complaint',
          mail,
          complaint: {
            complainedRecipients: [{ emailAddress: email }],
            timestamp: now,
            feedbackId,
            complaintFeedbackType: 'abuse',
          },
        },
      };
}

async function publish(event: SesEmailEvent): Promise<void> {
  await env.sqs.send(
    new SendMessageCommand({ QueueUrl: env.queues.emailEvents.url, MessageBody: JSON.stringify(event) }),
  );
}

async function timelineOf(caseId: string): Promise<Array<{ kind: string; internal: boolean }>> {
  return (await deps.cases.getCaseWithTimeline(caseId))!.timeline;
}

describe('SES bounces and complaints', () => {
  it.each([
    ['a permanent bounce', 'bounce', 'email_bounced'],
    ['a complaint', 'complaint', 'email_complaint'],
  ] as const)(
    'after %s, the address gets no more email and the case notes it for staff',
    async (_, kind, entryKind) => {
      const email = uniqueEmail();
      const caseId = await acknowledgedCase(email);
      expect(await emailsTo(env, email)).toHaveLength(1);

      await publish(sesEvent(kind, email, caseId));
      expect(await drainQueue(env, 'emailEvents', emailEventsConsumer)).toBe(1);
      expect(await deps.contacts.getSuppression(deps.keyring.hashContact(email))).toMatchObject({
        reason: kind,
        channel: 'email',
        caseId,
      });
      expect(await timelineOf(caseId)).toContainEqual(
        expect.objectContaining({ kind: entryKind, internal: true }),
      );

      const later = await acknowledgedCase(email);
      expect(await emailsTo(env, email)).toHaveLength(1);
      expect(await deps.outbox.getNotification(later, `${later}.ack.email`)).toMatchObject({
        status: 'suppressed',
      });
    },
  );

  it('keeps sending after a transient bounce', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgedCase(email);
    await publish(sesEvent('bounce', email, caseId, 'Transient'));
    await drainQueue(env, 'emailEvents', emailEventsConsumer);
    expect(await deps.contacts.getSuppression(deps.keyring.hashContact(email))).toBeNull();

    await acknowledgedCase(email);
    expect(await emailsTo(env, email)).toHaveLength(2);
  });

  it('notes a bounce on the case once, however often the event is delivered', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgedCase(email);
    await publish(sesEvent('bounce', email, caseId));
    const batch = await deliverBatch(env, 'emailEvents', emailEventsConsumer, { duplicate: true });
    expect(batch).toMatchObject({ received: 1, failed: [] });
    const bounces = (await timelineOf(caseId)).filter((entry) => entry.kind === 'email_bounced');
    expect(bounces).toHaveLength(1);
  });

  it('matches the address whatever its case', async () => {
    const email = uniqueEmail();
    const caseId = await acknowledgedCase(email);
    await publish(sesEvent('bounce', email.toUpperCase(), caseId));
    await drainQueue(env, 'emailEvents', emailEventsConsumer);
    expect(await deps.contacts.getSuppression(deps.keyring.hashContact(email))).not.toBeNull();
  });
});
