import { dispatchDueNotifications } from '#use-cases/dispatch-due-notifications';
import { scheduledJob } from '../middleware/scheduled-job.ts';

export const handler = scheduledJob('survey-dispatch', dispatchDueNotifications);
