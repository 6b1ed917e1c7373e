// Raw inbound mail where SES receiving stored it (S3), read and MIME-parsed. A group of its own, apart from
// the attachment files (object-store.ts): the parser (mailparser, iconv-lite, libmime, htmlparser2, …) is
// about 1.2 MB of bundle, and only the function with `readInboundMail` access carries it.
import { s3InboundMailbox } from '../inbound-mailbox.ts';
import { s3Client } from './object-store.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const inboundMailbox: PortGroup<PortsOf<'inboundMailbox'>> = {
  name: 'inboundMailbox',
  build: () => ({ inboundMail: s3InboundMailbox(s3Client()) }),
};
