// S3 event notifications as S3 puts them on a queue: the attachments bucket announces each stored file.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
import * as z from '#shared/zod';

const s3EventRecordSchema = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.optional(z.number()) }),
  }),
});

/** Records of stored objects, or the test event S3 sends once when the notification is configured. */
export const s3EventMessageSchema = z.withMeta(
  z.union([
    z.object({ Records: z.array(s3EventRecordSchema) }),
    z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') }),
  ]),
  { id: 'S3EventNotification' },
);
export type S3EventMessage = z.infer<typeof s3EventMessageSchema>;

/** The keys of the objects a message says were created; keys arrive URL-encoded, spaces as `+`. */
export function createdKeysOf(message: S3EventMessage): string[] {
  if (!('Records' in message)) return [];
  return message.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) =>
    decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
  );
}
