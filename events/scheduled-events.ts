// The EventBridge event a schedule rule delivers to its target (the sandbox sends the same shape).
import * as z from '#shared/zod';

export const scheduledEventSchema = z.withMeta(
  z.object({
    version: z.string(),
    id: z.string().check(z.minLength(1)),
    'detail-type': z.literal('Scheduled Event'),
    source: z.literal('aws.events'),
    account: z.string(),
    /** When the rule fired; the jobs read the time from the clock, which the sandbox can move. */
    time: z.iso.datetime(),
    region: z.string(),
    resources: z.array(z.string()),
    detail: z.looseObject({}),
  }),
  { id: 'ScheduledEvent' },
);
export type ScheduledEvent = z.infer<typeof scheduledEventSchema>;
