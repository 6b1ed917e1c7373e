import * as z from 'zod';

export const isoTimestamp = z.iso.datetime({ offset: false }).meta({ example: '2026-11-23T08:00:00.000Z' });

// The time of the request being validated, so date rules compare with the clock the handler has (the
// sandbox's may be moved) rather than the machine's. Set only for the length of one synchronous parse.
let requestTime: Date | undefined;

/** Parses `input` as of `now`: the one way requests are validated (`httpRoute`). */
export function parseAsOf<S extends z.ZodType>(schema: S, input: unknown, now: Date) {
  const outer = requestTime;
  requestTime = now;
  try {
    return schema.safeParse(input);
  } finally {
    requestTime = outer;
  }
}

/** A client's clock may run a little ahead of ours; beyond this a time is in the future. */
export const clockSkewToleranceMs = 5 * 60_000;

/**
 * An instant that has happened, at most a year before the request (a parcel's shipping time, say).
 * Checked against the request's time; parsed outside a request (tests, tools) only the format is checked.
 */
export const recentPastTimestamp = isoTimestamp
  .superRefine((value, ctx) => {
    if (!requestTime) return;
    const at = Date.parse(value);
    if (at > requestTime.getTime() + clockSkewToleranceMs) {
      ctx.addIssue({ code: 'custom', message: 'Must not be in the future' });
    }
    const yearBefore = new Date(requestTime);
    yearBefore.setUTCFullYear(yearBefore.getUTCFullYear() - 1);
    if (at < yearBefore.getTime()) {
      ctx.addIssue({ code: 'custom', message: 'Must be within the last year' });
    }
  })
  .meta({ description: 'Not in the future, and at most one year before the request' });

export const moneySchema = z
  .object({
    amount: z.number().nonnegative().max(10_000_000).multipleOf(0.01),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as CNY'),
  })
  .meta({ id: 'Money' });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

export const caseIdSchema = z
  .string()
  .regex(/^CS\d{10,12}[A-Z]{2}$/, 'Not a case id')
  .meta({ example: 'CS2611230001AB' });

// Control characters other than tab and line breaks have no place in what people write, and some
// break the emails and SMS that quote it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Free text people write: trimmed, within `max` characters, no control characters. */
export function humanText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !controlCharacters.test(text), 'Remove control characters');
}
