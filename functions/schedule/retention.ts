import { caseTable } from '#adapters/wiring/case-table';
import { policy } from '#adapters/wiring/policy';
import { runRetention } from '#use-cases/run-retention';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('retention', [caseTable, policy], (deps) => runRetention(deps));
