// Files in S3: the attachments bucket, read, stored, listed and deleted with the S3 client. Links to them
// (presigned GETs and POSTs) are signed without it, by the attachmentSigner group. The client is exported
// for the other S3 port (inbound-mailbox.ts, raw inbound mail) to share.
import { S3Client } from '@aws-sdk/client-s3';
import { s3AttachmentFiles } from '../attachment-files.ts';
import { awsClient } from '../aws-clients.ts';
import { s3ForcePathStyle } from '../s3-addressing.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const s3Client = awsClient(() => new S3Client({ forcePathStyle: s3ForcePathStyle() }));

export const objectStore: PortGroup<PortsOf<'objectStore'>> = {
  name: 'objectStore',
  build: (config) => ({
    attachmentFiles: s3AttachmentFiles(s3Client(), config.ATTACHMENTS_BUCKET),
  }),
};
