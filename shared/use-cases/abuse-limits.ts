// Enforcing the abuse limits (shared/abuse-limits.ts): count one more against a limit's window, and when
// it is spent emit `RateLimited` with the limit's name. Callers choose what a spent limit means.
import { RateLimited } from '#domain/errors';
import { type LimitName, limitWindow } from '#shared/abuse-limits';
import type { Dependencies } from './ports.ts';

/** Counts against each limit in turn; the first one spent is returned (and later ones are not counted). */
export async function takeLimits(
  deps: Pick<Dependencies, 'rateLimits' | 'limits' | 'metrics'>,
  now: Date,
  counters: ReadonlyArray<{ limit: LimitName; scope: string }>,
): Promise<{ limit: LimitName; retryAfterSeconds: number } | null> {
  for (const { limit, scope } of counters) {
    const taken = await deps.rateLimits.take(limitWindow(deps.limits, limit), scope, now);
    if (!taken.allowed) {
      deps.metrics.count('RateLimited', { limit });
      return { limit, retryAfterSeconds: taken.retryAfterSeconds };
    }
  }
  return null;
}

/** As takeLimits, but a spent limit is a `429 rate_limited` for the caller. */
export async function requireWithinLimits(
  deps: Pick<Dependencies, 'rateLimits' | 'limits' | 'metrics'>,
  now: Date,
  counters: ReadonlyArray<{ limit: LimitName; scope: string }>,
): Promise<void> {
  const spent = await takeLimits(deps, now, counters);
  if (spent) throw new RateLimited(spent.limit, spent.retryAfterSeconds);
}
