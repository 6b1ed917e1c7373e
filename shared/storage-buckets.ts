// The S3 buckets the functions use, as facts both sides need: the handlers (where a bucket's name comes
// from) and the deployments, which create them: infra/stack (CDK) and infra/sandbox (the S3 emulator).
import type { QueueName } from './work-queues.ts';

export const bucketNames = ['attachments'] as const;
export type BucketName = (typeof bucketNames)[number];

export interface BucketDefinition {
  name: BucketName;
  description: string;
  /** Objects created under `prefix` are announced on `queue` (S3 event notifications; the sandbox's front). */
  notify?: { queue: QueueName; prefix: string };
}

export const buckets: readonly BucketDefinition[] = [
  {
    name: 'attachments',
    description: 'Files attached to cases: customer uploads (presigned POST) and email attachments',
    notify: { queue: 'attachmentUploads', prefix: 'cases/' },
  },
];

/** The environment variable that carries a bucket's name to every function: `ATTACHMENTS_BUCKET`. */
export function bucketNameVariable(bucket: BucketName): string {
  return `${bucket.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_BUCKET`;
}
