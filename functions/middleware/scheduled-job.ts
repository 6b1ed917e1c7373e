// Every scheduled job is built here: the EventBridge event is checked, the job runs with the
// dependencies, and its report is logged and returned (the sandbox's jobs route shows it).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type PortGroup, wireDependencies } from '#adapters/wiring/wire';
import { scheduledEventSchema } from '#events/scheduled-events';
import { logger } from '#shared/observability';
import type { JobName } from '#shared/work-queues';
import type { Dependencies } from '#use-cases/ports';

export type ScheduledHandler<R> = (event: unknown, context: Context) => Promise<R>;

export function scheduledJob<R extends object>(
  job: JobName,
  /** The port groups the job uses: only their adapters are bundled and built. */
  uses: readonly PortGroup[],
  run: (deps: Dependencies) => Promise<R>,
): ScheduledHandler<R> {
  const dependencies = wireDependencies(uses);
  const handler = middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const parsed = scheduledEventSchema.safeParse(event);
      // Only EventBridge invokes this; anything else is a wiring mistake worth failing loudly on.
      if (!parsed.success) throw new Error(`${job} expects an EventBridge scheduled event`);
      const report = await run(await dependencies());
      // A run that found nothing to do is not news: it runs every minute.
      const didSomething = Object.values(report).some((value) => typeof value === 'number' && value > 0);
      const log = didSomething ? logger.info.bind(logger) : logger.debug.bind(logger);
      log(`${job} done`, { job, scheduledAt: parsed.data.time, ...report });
      return report;
    });
  return handler as unknown as ScheduledHandler<R>;
}
