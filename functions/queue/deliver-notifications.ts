// One delivery path for both notification queues (emails on `notifications`, SMS on `smsNotifications`),
// each consumer holding only its own channel's provider (and its role only that send permission,
// infra/catalogue.ts): a notification of the other channel that reaches it (misrouted, or redriven by
// hand to the wrong queue) is queued to its own channel's queue unclaimed, and sent exactly once there.
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { incidentStore } from '#adapters/wiring/incident-store';
import { keyring } from '#adapters/wiring/keyring';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { rateLimits } from '#adapters/wiring/rate-limits';
import type { PortGroup } from '#adapters/wiring/wire';
import { notificationMessageSchema } from '#events/queue-messages';
import { deliverAndCountNotification } from '#use-cases/count-incident-notice';
import type { ChannelSender, Dependencies } from '#use-cases/ports';
import { type QueueHandler, sqsConsumer } from '../middleware/sqs-consumer.ts';

/** Each notification queue's channel, and the port its sender is built from. */
interface NotificationQueues {
  notifications: { channel: 'email'; port: 'mailer' };
  smsNotifications: { channel: 'sms'; port: 'sms' };
}

export function notificationConsumer<Q extends keyof NotificationQueues>(
  queue: Q,
  /** The port group of the queue's channel's provider: the only one wired into (and bundled with) it. */
  provider: PortGroup<NotificationQueues[Q]['port']>,
  sender: (
    ports: Pick<Dependencies, NotificationQueues[Q]['port']>,
  ) => Extract<ChannelSender, { channel: NotificationQueues[Q]['channel'] }>,
): QueueHandler {
  return sqsConsumer(
    queue,
    notificationMessageSchema,
    [caseTable, contactRegistry, rateLimits, incidentStore, keyring, provider, queues, policy],
    (message, attempt, deps) =>
      deliverAndCountNotification(message, attempt, { ...deps, sender: sender(deps) }),
  );
}
