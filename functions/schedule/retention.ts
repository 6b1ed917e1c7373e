import { caseTable } from '#adapters/wiring/case-table';
import { objectStore } from '#adapters/wiring/object-store';
import { policy } from '#adapters/wiring/policy';
import { runRetention } from '#use-cases/run-retention';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('retention', [caseTable, policy, objectStore], (deps) =>
  runRetention(deps),
);
