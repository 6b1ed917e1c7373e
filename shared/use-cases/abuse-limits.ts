// Enforcing the abuse limits (shared/abuse-limits.ts): count one more against a limit's window, and when
// it is spent emit `RateLimited` with the limit's name. Callers choose what a spent limit means.
import { RateLimited } from '#domain/errors';
import { type LimitName, limitWindow } from '#shared/abuse-limits';
import type { Dependencies } from './ports.ts';

/**
 * Counts against every limit; the first one spent (in the order given) is returned. Limits of one scope are
 * one write, all counted or none (RateLimitStore.take).
 */
export async function takeLimits(
  deps: Pick<Dependencies, 'rateLimits' | 'limits' | 'metrics'>,
  now: Date,
  counters: ReadonlyArray<{ limit: LimitName; scope: string }>,
): Promise<{ limit: LimitName; retryAfterSeconds: number } | null> {
  if (counters.length === 0) return null;
  const taken = await deps.rateLimits.take(
    counters.map(({ limit, scope }) => ({ window: limitWindow(deps.limits, limit), scope })),
    now,
  );
  if (taken.allowed) return null;
  deps.metrics.count('RateLimited', { limit: taken.limit });
  return { limit: taken.limit, retryAfterSeconds: taken.retryAfterSeconds };
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
