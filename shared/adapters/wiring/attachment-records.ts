// A case's attachment records and their counter, beside the case.
import { dynamoAttachmentRecords } from '../attachment-records.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const attachmentRecords: PortGroup<PortsOf<'attachmentRecords'>> = {
  name: 'attachmentRecords',
  build: (config, scope) => ({ attachments: dynamoAttachmentRecords(caseTableOf(config, scope)) }),
};
