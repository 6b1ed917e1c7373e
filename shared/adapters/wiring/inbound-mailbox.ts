// Raw inbound mail where SES receiving stored it (S3), read and MIME-parsed. A group of its own, apart from
// the attachment files (object-store.ts): the parser (postal-mime and html-to-text.ts, about 80 KB of
// bundle) is carried only by the function with `readInboundMail` access.
import { s3InboundMailbox } from '../inbound-mailbox.ts';
import { s3Client } from './object-store.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const inboundMailbox: PortGroup<PortsOf<'inboundMailbox'>> = {
  name: 'inboundMailbox',
  build: () => ({ inboundMail: s3InboundMailbox(s3Client()) }),
};
