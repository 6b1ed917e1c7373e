import { caseLists } from '#adapters/wiring/case-lists';
import { caseTable } from '#adapters/wiring/case-table';
import { queues } from '#adapters/wiring/queues';
import { sweepDeadlines } from '#use-cases/sweep-deadlines';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('sla-sweep', [caseTable, caseLists, queues], sweepDeadlines);
