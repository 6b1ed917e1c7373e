// Raw inbound mail where SES receiving stored it (S3), read and parsed (inbound-mail-parser.ts).
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InboundMailbox } from '../use-cases/ports.ts';
import { parseInboundEmail } from './inbound-mail-parser.ts';

/** A message larger than SES accepts (40 MB) is not a customer's mail; refuse to hold it in memory. */
const maxRawBytes = 40 * 1024 * 1024;

export function s3InboundMailbox(client: S3Client): InboundMailbox {
  return {
    async read({ bucket, key }) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((object.ContentLength ?? 0) > maxRawBytes) throw new Error(`Inbound message ${key} is too large`);
      const raw = await object.Body?.transformToByteArray();
      if (!raw) throw new Error(`Inbound message ${key} has no body`);
      return parseInboundEmail(Buffer.from(raw));
    },
  };
}
