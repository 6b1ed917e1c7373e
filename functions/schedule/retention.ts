import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { objectStore } from '#adapters/wiring/object-store';
import { policy } from '#adapters/wiring/policy';
import { retentionStore } from '#adapters/wiring/retention-store';
import { runRetention } from '#use-cases/run-retention';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob(
  'retention',
  [caseTable, contactRegistry, retentionStore, attachmentRecords, policy, objectStore],
  (deps) => runRetention(deps),
);
