import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { objectStore } from '#adapters/wiring/object-store';
import { createdKeysOf, s3EventMessageSchema } from '#events/s3-events';
import { recordStoredObject } from '#use-cases/attachments';
import { sqsConsumer } from '../middleware/sqs-consumer.ts';

export const handler = sqsConsumer(
  'attachmentUploads',
  s3EventMessageSchema,
  [caseTable, attachmentRecords, objectStore],
  async (message, _attempt, deps) => {
    for (const key of createdKeysOf(message)) await recordStoredObject(key, deps);
  },
);
