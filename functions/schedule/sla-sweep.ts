import { sweepDeadlines } from '#use-cases/sweep-deadlines';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('sla-sweep', sweepDeadlines);
