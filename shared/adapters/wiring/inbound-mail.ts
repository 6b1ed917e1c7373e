// Raw inbound mail in S3 (SES receiving's S3 action).
import { S3Client } from '@aws-sdk/client-s3';
import { awsClient } from '../aws-clients.ts';
import { s3InboundMailbox } from '../inbound-mailbox.ts';
import type { PortGroup, PortsOf } from './wire.ts';

// Path style against an emulator (its host names no bucket); virtual-hosted style in AWS.
const s3Client = awsClient(() => new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }));

export const inboundMail: PortGroup<PortsOf<'inboundMail'>> = {
  name: 'inboundMail',
  build: () => ({ inboundMail: s3InboundMailbox(s3Client()) }),
};
