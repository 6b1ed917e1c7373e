// Links to the attachments bucket's files, signed with the environment's credentials and no S3 client:
// functions that only hand out presigned POSTs (AddAttachment) or GETs (GetAgentCase) carry this group
// instead of objectStore. The signer is made once per execution environment, like a client.
import { environmentSigning, s3AttachmentLinks } from '../attachment-links.ts';
import { awsClient } from '../aws-clients.ts';
import type { PortGroup, PortsOf } from './wire.ts';

/** Reset with the clients (resetAwsClients), so a test or the sandbox that moves S3 signs for the new one. */
const signing = awsClient(() => ({ ...environmentSigning(), destroy() {} }));

export const attachmentSigner: PortGroup<PortsOf<'attachmentSigner'>> = {
  name: 'attachmentSigner',
  build: (config) => ({
    attachmentLinks: s3AttachmentLinks(config.ATTACHMENTS_BUCKET, signing()),
  }),
};
