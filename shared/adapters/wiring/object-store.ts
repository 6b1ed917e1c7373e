// Files in S3: the attachments bucket. The client is exported for the other S3 port (inbound-mailbox.ts,
// raw inbound mail) to share.
import { S3Client } from '@aws-sdk/client-s3';
import { s3AttachmentFiles } from '../attachment-files.ts';
import { awsClient } from '../aws-clients.ts';
import type { PortGroup, PortsOf } from './wire.ts';

/**
 * Path-style addressing when an endpoint is set (the sandbox's S3 on 127.0.0.1): the bucket goes in
 * the path, not in a host name that would not resolve. In AWS, the default virtual-hosted style.
 */
export const s3Client = awsClient(
  () => new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }),
);

export const objectStore: PortGroup<PortsOf<'objectStore'>> = {
  name: 'objectStore',
  build: (config) => ({
    attachmentFiles: s3AttachmentFiles(s3Client(), config.ATTACHMENTS_BUCKET),
  }),
};
