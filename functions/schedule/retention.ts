import { caseTable } from '#adapters/wiring/case-table';
import { runRetention } from '#use-cases/run-retention';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('retention', [caseTable], (deps) => runRetention(deps));
