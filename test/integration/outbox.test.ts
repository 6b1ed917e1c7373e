// The outbox store on its own: a notification is claimed by one sender at a time under a lease,
// released back to the dispatch index or out of it, and completed once with its timeline entry. One its
// writer queued at once is in the dispatch index only if the completer finds it still unclaimed.
import { beforeAll, describe, expect, it } from 'vitest';
import { caseTable } from '#adapters/case-table';
import { dependencies } from '#adapters/dependencies';
import { settledNotificationDays } from '#adapters/outbox';
import { contactOwnerId } from '#domain/incident';
import type { NotificationIntent } from '#domain/support-case';
import { loadConfig, retryBackoffOf } from '#shared/config';
import { leaseCoveringRetriesMs } from '#shared/work-queues';
import { completeCaseChanges } from '#use-cases/complete-case-change';
import {
  type DeliveryDependencies,
  deliverNotification,
  NotificationBusy,
  NotificationChannelMismatch,
} from '#use-cases/deliver-notification';
import { dispatchDueNotifications } from '#use-cases/dispatch-due-notifications';
import { ConcurrentModification, type Dependencies } from '#use-cases/ports';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';
import { storeAcceptedCase } from '../support/stored-cases.ts';
import { anAcceptance } from '../support/support-cases.ts';

/** A receive of a notification message as the consumer sees it: its lease is the notifications queue's. */
const receive = (finalAttempt: boolean) => ({
  finalAttempt,
  leaseMs: leaseCoveringRetriesMs('notifications', retryBackoffOf(loadConfig())),
});

const minuteMs = 60_000;
const leaseMs = 5 * minuteMs;

let deps: Dependencies;
beforeAll(async () => {
  await createIntegrationEnvironment();
  deps = await dependencies();
});

/** A stored open case and its email acknowledgement, due at `receivedAt`. */
async function anAcknowledgement(receivedAt = new Date()) {
  const { supportCase, notifications, timeline } = await storeAcceptedCase(deps, { receivedAt });
  const email = notifications.find((notification) => notification.channel === 'email');
  if (!email) throw new Error('The acknowledgement has no email');
  // The change as the case item carries it, as the table stream brings it to the completer.
  const change = {
    caseId: supportCase.caseId,
    version: supportCase.version,
    at: supportCase.updatedAt,
    timeline,
    notifications,
  };
  return { supportCase, email, timeline, change, due: new Date(email.dispatchAt) };
}

/** The notifications the dispatch job finds due at `at`, by case and id. */
const dispatchable = async (at: Date) =>
  (await deps.outbox.findDispatchableNotifications(at.toISOString())).map(({ caseId, notificationId }) => ({
    caseId,
    notificationId,
  }));

describe('claiming a notification', () => {
  it('takes a due notification for the lease and counts the attempt', async () => {
    const { email, due } = await anAcknowledgement();
    const claimed = await deps.outbox.claimNotification(
      email.caseId,
      email.notificationId,
      due,
      leaseMs,
      'email',
    );
    expect(claimed).toMatchObject({
      notificationId: email.notificationId,
      status: 'sending',
      attempts: 1,
      leaseUntil: new Date(due.getTime() + leaseMs).toISOString(),
    });
    expect(claimed).not.toHaveProperty('pk');
  });

  it('refuses a notification before it is due', async () => {
    const { email, due } = await anAcknowledgement();
    await expect(
      deps.outbox.claimNotification(
        email.caseId,
        email.notificationId,
        new Date(due.getTime() - 1),
        leaseMs,
        'email',
      ),
    ).rejects.toBeInstanceOf(ConcurrentModification);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  });

  it('refuses a second sender while the lease holds, and lets one take over once it ran out', async () => {
    const { email, due } = await anAcknowledgement();
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    const duringLease = new Date(due.getTime() + leaseMs - 1);
    await expect(
      deps.outbox.claimNotification(email.caseId, email.notificationId, duringLease, leaseMs, 'email'),
    ).rejects.toBeInstanceOf(ConcurrentModification);
    const afterLease = new Date(due.getTime() + leaseMs + 1);
    expect(
      await deps.outbox.claimNotification(email.caseId, email.notificationId, afterLease, leaseMs, 'email'),
    ).toMatchObject({ status: 'sending', attempts: 2 });
  });

  it('refuses a sender of the other channel, leaving the notification as it was', async () => {
    const { email, due } = await anAcknowledgement();
    await expect(
      deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'sms'),
    ).rejects.toBeInstanceOf(ConcurrentModification);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  });

  it('lets exactly one of two racing senders have it', async () => {
    const { email, due } = await anAcknowledgement();
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email'),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(
      ConcurrentModification,
    );
  });
});

describe('releasing and completing a notification', () => {
  it('keeps a notification its writer queued out of the dispatch index; one still unclaimed when the completer looks goes in, once', async () => {
    const { email, change, due } = await anAcknowledgement();
    const ref = { caseId: email.caseId, notificationId: email.notificationId };
    // Its writer handed it to the queue at once: no index write while it is sent within seconds.
    expect(await dispatchable(due)).not.toContainEqual(ref);
    // Unclaimed when the table stream's completer reads the change: its message may be lost.
    const counted: string[] = [];
    const metrics = { count: (name: string, _: object, value = 1) => void counted.push(`${name} ${value}`) };
    expect(await completeCaseChanges([change], { ...deps, metrics })).toBe(0);
    expect(counted).toEqual(['NotificationsUnclaimedAtCompletion 1']);
    expect(await dispatchable(new Date(due.getTime() - 1))).not.toContainEqual(ref);
    expect(await dispatchable(due)).toContainEqual(ref);
    // A record the stream delivers again finds it indexed already.
    expect(await deps.cases.completeChanges([change])).toEqual(['already_complete']);
    // Listed also while it is being sent, until it is settled.
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    expect(await dispatchable(due)).toContainEqual(ref);
  });

  it('is queued again by the dispatch job once; due at an earlier run too, it is queued and handed to the queue', async () => {
    const { email, change, due } = await anAcknowledgement();
    const ref = { caseId: email.caseId, notificationId: email.notificationId };
    await deps.cases.completeChanges([change]);
    const queued: object[] = [];
    const counted: string[] = [];
    const job = (at: Date) =>
      dispatchDueNotifications({
        ...deps,
        clock: { now: () => at },
        queues: {
          ...deps.queues,
          notifications: { send: async (messages) => void queued.push(...messages) },
        },
        metrics: { count: (name: string, _: object, value = 1) => void counted.push(`${name} ${value}`) },
      });
    // First seen due: queued, and left in the index (a survey sent within the minute costs no write).
    const first = await job(new Date(due.getTime() + 30_000));
    expect(first.handedOver).toBe(0);
    expect(queued.filter((one) => JSON.stringify(one) === JSON.stringify(ref))).toHaveLength(1);
    expect(await dispatchable(due)).toContainEqual(ref);
    // Still there a run later (its messages wait behind a backlog): queued once more and handed over, so
    // later runs do not queue it again every minute.
    const second = await job(new Date(due.getTime() + 90_000));
    expect(second.handedOver).toBeGreaterThanOrEqual(1);
    expect(counted).toContain(`NotificationsHandedOverToQueue ${second.handedOver}`);
    expect(queued.filter((one) => JSON.stringify(one) === JSON.stringify(ref))).toHaveLength(2);
    expect(await dispatchable(new Date(due.getTime() + 150_000))).not.toContainEqual(ref);
    // Still pending, for the queue's messages to claim and send once.
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
    });
    expect(
      await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email'),
    ).toMatchObject({ status: 'sending', attempts: 1 });
  });

  it('hands nothing over that was settled meanwhile', async () => {
    const { email, change, due } = await anAcknowledgement();
    await deps.cases.completeChanges([change]);
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    await deps.outbox.completeNotification(email.caseId, email.notificationId, {
      status: 'sent',
      at: due.toISOString(),
    });
    expect(
      await deps.outbox.handOverToQueue([{ caseId: email.caseId, notificationId: email.notificationId }]),
    ).toBe(0);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'sent',
    });
  });

  it('leaves a handed-off notification out of the dispatch index once a sender has claimed it', async () => {
    const { email, change, due } = await anAcknowledgement();
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    expect(await deps.cases.completeChanges([change])).toEqual(['already_complete']);
    expect(await dispatchable(due)).not.toContainEqual({
      caseId: email.caseId,
      notificationId: email.notificationId,
    });
  });

  it('holds a released notification for later: back in the dispatch index at its new time', async () => {
    const { email, due } = await anAcknowledgement();
    const ref = { caseId: email.caseId, notificationId: email.notificationId };
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    const later = new Date(due.getTime() + 60 * minuteMs);
    await deps.outbox.releaseNotification(email.caseId, email.notificationId, {
      dispatchAt: later.toISOString(),
    });
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
      dispatchAt: later.toISOString(),
    });
    expect(await dispatchable(new Date(later.getTime() - 1))).not.toContainEqual(ref);
    expect(await dispatchable(later)).toContainEqual(ref);
  });

  it('takes a failed notification out of the dispatch index, yet lets a redrive claim it again', async () => {
    const { email, due } = await anAcknowledgement();
    const ref = { caseId: email.caseId, notificationId: email.notificationId };
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    await deps.outbox.releaseNotification(email.caseId, email.notificationId, {
      failed: true,
      error: 'mailbox unavailable',
    });
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'failed',
      lastError: 'mailbox unavailable',
    });
    expect(await dispatchable(new Date(due.getTime() + leaseMs))).not.toContainEqual(ref);
    expect(
      await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email'),
    ).toMatchObject({ status: 'sending', attempts: 2 });
  });

  it('completes a notification once, with its timeline entry in the same write', async () => {
    const { supportCase, email, timeline, due } = await anAcknowledgement();
    const sentEntry = { ...timeline[0]!, entryId: `${timeline[0]!.entryId}-sent`, message: 'sent' };
    await deps.outbox.claimNotification(email.caseId, email.notificationId, due, leaseMs, 'email');
    const outcome = { status: 'sent' as const, at: due.toISOString(), providerMessageId: 'm-1' };
    await deps.outbox.completeNotification(email.caseId, email.notificationId, outcome, sentEntry);
    await expect(
      deps.outbox.completeNotification(email.caseId, email.notificationId, outcome, sentEntry),
    ).rejects.toBeInstanceOf(ConcurrentModification);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'sent',
      sentAt: due.toISOString(),
      providerMessageId: 'm-1',
    });
    const stored = await deps.cases.getCaseWithTimeline(supportCase.caseId);
    expect(stored?.timeline.filter((entry) => entry.entryId === sentEntry.entryId)).toHaveLength(1);
    expect(await dispatchable(due)).not.toContainEqual({
      caseId: email.caseId,
      notificationId: email.notificationId,
    });
  });

  it("keeps a case's settled notification, its outcome entry on the case's timeline, with no expiry; a contact's incident notice expires", async () => {
    const { email, due } = await anAcknowledgement();
    const settle = async (caseId: string, notificationId: string) => {
      await deps.outbox.claimNotification(caseId, notificationId, due, leaseMs, 'email');
      await deps.outbox.completeNotification(
        caseId,
        notificationId,
        { status: 'sent', at: due.toISOString(), providerMessageId: `m-${notificationId}` },
        {
          entryId: `${due.toISOString()}#notification_sent#${notificationId}`,
          at: due.toISOString(),
          kind: 'notification_sent',
          actor: 'system',
          message: 'sent',
          internal: false,
          data: { notificationId },
        },
      );
      return (await deps.outbox.getNotification(caseId, notificationId)) as unknown as Record<
        string,
        unknown
      >;
    };
    const kept = await settle(email.caseId, email.notificationId);
    expect(kept).toMatchObject({ status: 'sent' });
    expect(kept.recipient).toBeUndefined();
    expect(kept).not.toHaveProperty(caseTable.timeToLiveAttribute);
    const stored = await deps.cases.getCaseWithTimeline(email.caseId);
    expect(stored?.timeline.map((entry) => entry.kind)).toContain('notification_sent');

    // An erasure confirmation is put with an expiry, for its address; once settled it is kept like the rest.
    const confirmation: NotificationIntent = {
      ...email,
      kind: 'erasure_confirmation',
      notificationId: `${email.caseId}.erasure.email`,
      data: { kind: 'erasure_confirmation', caseId: email.caseId, erasedCases: 1 },
    };
    await deps.incidents.putNotifications([confirmation], due.toISOString());
    const put = (await deps.outbox.getNotification(
      email.caseId,
      confirmation.notificationId,
    )) as unknown as Record<string, unknown>;
    expect(put[caseTable.timeToLiveAttribute]).toBeGreaterThan(0);
    const confirmed = await settle(email.caseId, confirmation.notificationId);
    expect(confirmed.recipient).toBeUndefined();
    expect(confirmed).not.toHaveProperty(caseTable.timeToLiveAttribute);

    const owner = contactOwnerId('IN2611300830ABCD', `key-${Date.now()}`);
    const notice = { ...email, caseId: owner, notificationId: `${owner}.r0.email` };
    await deps.incidents.putNotifications([notice], due.toISOString());
    const expiring = await settle(owner, notice.notificationId);
    expect(expiring[caseTable.timeToLiveAttribute]).toBe(
      Math.floor((due.getTime() + settledNotificationDays * 86_400_000) / 1000),
    );
  });
});

describe('delivering claims first, and reads the notification only when the claim is refused', () => {
  const at = (now: Date, sent: string[]): DeliveryDependencies => ({
    ...deps,
    clock: { now: () => now },
    sender: {
      channel: 'email',
      mailer: {
        send: async (email) => {
          sent.push(email.to);
          return { messageId: `m-${sent.length}` };
        },
      },
    },
  });

  it('sends a due notification once, then answers already_done, not_due before it is due, unknown for none', async () => {
    const { email, due } = await anAcknowledgement();
    const message = { caseId: email.caseId, notificationId: email.notificationId };
    const sent: string[] = [];
    const once = receive(false);
    expect(await deliverNotification(message, once, at(new Date(due.getTime() - 1), sent))).toBe('not_due');
    expect(await deliverNotification(message, once, at(due, sent))).toBe('sent');
    expect(await deliverNotification(message, once, at(due, sent))).toBe('already_done');
    expect(sent).toEqual([email.recipient]);
    expect(
      await deliverNotification({ ...message, notificationId: 'no-such-notification' }, once, at(due, sent)),
    ).toBe('unknown');
  });

  it("leaves a notification a stopped sender still holds to the dispatch job on the message's last receive; it is sent once the lease ran out", async () => {
    const { email, due } = await anAcknowledgement();
    const message = { caseId: email.caseId, notificationId: email.notificationId };
    const ref = { caseId: email.caseId, notificationId: email.notificationId };
    // A sender claims it and stops before settling it (a timeout, a crash): it was handed to the queue by
    // its writer, so nothing has put it in the dispatch index.
    await deps.outbox.claimNotification(
      email.caseId,
      email.notificationId,
      due,
      receive(false).leaseMs,
      'email',
    );
    expect(await dispatchable(due)).not.toContainEqual(ref);
    const later = new Date(due.getTime() + 60_000);
    const sent: string[] = [];
    await expect(deliverNotification(message, receive(false), at(later, sent))).rejects.toBeInstanceOf(
      NotificationBusy,
    );
    const counted: string[] = [];
    const lastReceive = { ...at(later, sent), metrics: { count: (name: string) => void counted.push(name) } };
    expect(await deliverNotification(message, receive(true), lastReceive)).toBe('left_for_dispatch');
    expect(counted).toEqual(['NotificationLeftForDispatch']);
    expect(await dispatchable(later)).toContainEqual(ref);
    // The dispatch job queues it every run; once the lease has run out a claim succeeds, and it goes once.
    const afterLease = new Date(due.getTime() + receive(false).leaseMs + 1000);
    expect(await deliverNotification(message, receive(false), at(afterLease, sent))).toBe('sent');
    expect(await deliverNotification(message, receive(false), at(afterLease, sent))).toBe('already_done');
    expect(sent).toEqual([email.recipient]);
    expect(await dispatchable(afterLease)).not.toContainEqual(ref);
  });

  it('hands a notification of the other channel to its queue without claiming it', async () => {
    const { email, due } = await anAcknowledgement();
    const message = { caseId: email.caseId, notificationId: email.notificationId };
    const queued: object[] = [];
    const counted: string[] = [];
    const smsSender: DeliveryDependencies = {
      ...at(due, []),
      sender: { channel: 'sms', sms: { send: () => Promise.reject(new Error('not this channel')) } },
      queues: { ...deps.queues, notifications: { send: async (messages) => void queued.push(...messages) } },
      metrics: { count: (name, dimensions) => void counted.push(`${name} ${dimensions.channel}`) },
    };
    expect(await deliverNotification(message, receive(false), smsSender)).toBe('requeued');
    expect(queued).toEqual([message]);
    expect(counted).toEqual(['NotificationRequeuedToItsChannel email']);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  });

  it('sends nothing and claims nothing when the stored channel is not the one its id names', async () => {
    const acceptance = anAcceptance();
    const email = acceptance.notifications.find((notification) => notification.channel === 'email');
    if (!email) throw new Error('The acknowledgement has no email');
    await deps.cases.createCase(acceptance.received, []);
    // The id ends in `.email`; the item says sms. No id is made so (notification-queues.test.ts), but if
    // one were, the email sender must not claim it and no queue would route it right: the DLQ's alarm.
    await deps.cases.saveCase(acceptance.supportCase, {
      timeline: acceptance.timeline,
      notifications: [{ ...email, channel: 'sms' }],
    });
    const sent: string[] = [];
    const message = { caseId: email.caseId, notificationId: email.notificationId };
    await expect(
      deliverNotification(message, receive(false), at(new Date(email.dispatchAt), sent)),
    ).rejects.toBeInstanceOf(NotificationChannelMismatch);
    expect(sent).toEqual([]);
    expect(await deps.outbox.getNotification(email.caseId, email.notificationId)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  });
});
