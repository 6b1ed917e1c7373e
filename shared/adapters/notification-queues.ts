// Outbox notifications go to their channel's queue (emails on `notifications`, SMS on
// `smsNotifications`), each drained by a consumer sized to its own send rate, so a slow SMS rate never
// holds back email. The use cases queue notifications through one publisher; this one splits them.
import { channelOfNotificationId, type NotificationChannel } from '#domain/support-case';
import type { QueuePublisher } from '../use-cases/ports.ts';

const isNotificationRef = (message: object): message is { notificationId: string } =>
  typeof (message as { notificationId?: unknown }).notificationId === 'string';

export function channelRoutedPublisher(
  byChannel: Record<NotificationChannel, QueuePublisher>,
): QueuePublisher {
  return {
    async send(messages) {
      const email: object[] = [];
      const sms: object[] = [];
      for (const message of messages) {
        const channel = isNotificationRef(message)
          ? channelOfNotificationId(message.notificationId)
          : 'email';
        (channel === 'sms' ? sms : email).push(message);
      }
      // Both sends are attempted; a failure of either is thrown after both (the sweep re-queues what stays pending).
      const sent = await Promise.allSettled([
        email.length > 0 ? byChannel.email.send(email) : undefined,
        sms.length > 0 ? byChannel.sms.send(sms) : undefined,
      ]);
      const failed = sent.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
