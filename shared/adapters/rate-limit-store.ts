// The abuse limits' counters: fixed windows, counted with one conditional ADD per scope and span (so
// concurrent callers never pass a limit together) and removed by the table's TTL after the span.
//
// One item per scope and span holds every counter of that scope whose window fits in the span: a minute's
// in its hour, an hour's and a day's in their day, a month's in its month. A notification counts against
// its recipient's hourly and daily limits (and an acknowledgement against two more) in one write, not one
// per limit; the attribute names are short, so a day's 24 hourly counters stay a small item.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type LimitName, type LimitPeriod, type LimitWindow, windowAt } from '#shared/abuse-limits';
import type { RateLimitStore } from '../use-cases/ports.ts';
import { rateLimitKey } from './case-keys.ts';
import type { CaseTableClient } from './case-table-client.ts';

/** The span whose item holds a window's counters. */
const spanOf: Record<LimitPeriod, LimitPeriod> = { minute: 'hour', hour: 'day', day: 'day', month: 'month' };

/** Each limit's attribute prefix: unique, and short, as names count toward an item's size. */
const codes: Record<LimitName, string> = {
  source_per_minute: 'sm',
  recipient_cases_per_hour: 'ch',
  recipient_cases_per_day: 'cd',
  recipient_messages_per_hour: 'mh',
  recipient_messages_per_day: 'md',
  case_messages_per_day: 'km',
  sms_per_month: 'sp',
};

/** A counter's attribute: its limit and, for a window shorter than its span, which one (minute, hour). */
function counterAttribute(window: LimitWindow, now: Date): string {
  const within =
    window.per === 'minute'
      ? String(now.getUTCMinutes()).padStart(2, '0')
      : window.per === 'hour'
        ? String(now.getUTCHours()).padStart(2, '0')
        : '';
  return `${codes[window.name]}${within}`;
}

const secondsUntil = (endsAt: Date, now: Date) =>
  Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));

interface Counter {
  window: LimitWindow;
  attribute: string;
}

export function dynamoRateLimitStore(table: CaseTableClient): RateLimitStore {
  /** Counts every counter of one scope and span in one write; the first spent one when any is. */
  async function takeGroup(scope: string, span: LimitPeriod, counters: Counter[], now: Date) {
    const spent = (window: LimitWindow) => ({
      allowed: false as const,
      limit: window.name,
      retryAfterSeconds: secondsUntil(windowAt(window.per, now).endsAt, now),
    });
    const closed = counters.find(({ window }) => window.limit <= 0);
    if (closed) return spent(closed.window);
    const { label, endsAt } = windowAt(span, now);
    const Key = rateLimitKey(scope, label);
    const names = Object.fromEntries(counters.map(({ attribute }, n) => [`#c${n}`, attribute]));
    const limits = Object.fromEntries(counters.map(({ window }, n) => [`:l${n}`, window.limit]));
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key,
          UpdateExpression: `ADD ${counters.map((_, n) => `#c${n} :one`).join(', ')} SET entity = :entity, expiresAt = :expiresAt`,
          ConditionExpression: counters
            .map((_, n) => `(attribute_not_exists(#c${n}) OR #c${n} < :l${n})`)
            .join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':one': 1,
            ...limits,
            ':entity': 'rateLimit',
            // Kept a day past its span, so a clock a little off never meets a half-expired count.
            ':expiresAt': Math.floor(endsAt.getTime() / 1000) + 86_400,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return null;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Which one is spent, from the item the refusal returns (a refusal means the item exists).
      const count = (attribute: string) => Number(error.Item?.[attribute]?.N ?? 0);
      const full = counters.find(({ window, attribute }) => count(attribute) >= window.limit);
      return spent((full ?? counters[0]!).window);
    }
  }

  return {
    async take(requested, now) {
      const groups = new Map<string, { scope: string; span: LimitPeriod; counters: Counter[] }>();
      for (const { window, scope } of requested) {
        const span = spanOf[window.per];
        const id = `${span}\n${scope}`;
        const group = groups.get(id) ?? { scope, span, counters: [] };
        const attribute = counterAttribute(window, now);
        if (!group.counters.some((counter) => counter.attribute === attribute)) {
          group.counters.push({ window, attribute });
        }
        groups.set(id, group);
      }
      for (const { scope, span, counters } of groups.values()) {
        const refused = await takeGroup(scope, span, counters, now);
        if (refused) return refused;
      }
      return { allowed: true };
    },
  };
}
