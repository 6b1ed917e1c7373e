import * as z from '#shared/zod';

export const isoTimestamp = z.withMeta(z.iso.datetime({ offset: false }), {
  example: '2026-11-23T08:00:00.000Z',
});

/** The survey answer as the case views show it. */
export const feedbackViewSchema = z.object({
  score: z.number(),
  nps: z.optional(z.number()),
  comment: z.optional(z.string()),
  at: isoTimestamp,
});

// The time of the request being validated, so date rules compare with the clock the handler has (the
// sandbox's may be moved) rather than the machine's. Set only for the length of one synchronous parse.
let requestTime: Date | undefined;

/** Parses `input` as of `now`: the one way requests are validated (`httpRoute`). */
export function parseAsOf<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  now: Date,
  error?: z.core.$ZodErrorMap,
) {
  const outer = requestTime;
  requestTime = now;
  try {
    return schema.safeParse(input, error ? { error } : undefined);
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
export const recentPastTimestamp = z.withMeta(
  isoTimestamp.check(
    z.superRefine((value, ctx) => {
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
    }),
  ),
  { description: 'Not in the future, and at most one year before the request' },
);

export const moneySchema = z.withMeta(
  z.strictObject({
    amount: z.number().check(z.nonnegative(), z.lte(10_000_000), z.multipleOf(0.01)),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as CNY')),
  }),
  { id: 'Money' },
);

export const errorResponseSchema = z.withMeta(
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
      requestId: z.string(),
    }),
  }),
  { id: 'Error' },
);
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

export const caseIdSchema = z.withMeta(z.string().check(z.regex(/^CS\d{10,13}[A-Z]{2}$/, 'Not a case id')), {
  example: 'CS2611230001AB',
});

// Control characters other than tab and line breaks have no place in what people write, and some
// break the emails and SMS that quote it. Invisible format characters (Unicode category Cf: bidi
// overrides such as U+202E, zero-width spaces and joiners, soft hyphens) let a text read otherwise than
// it is, which is how a phishing link or a fake case number hides in an acknowledgement.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const hiddenCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cf}/u;

/** Free text people write: trimmed, within `max` characters, no control or invisible format characters. */
export function humanText(min: number, max: number) {
  return z.string().check(
    z.trim(),
    z.minLength(min),
    z.maxLength(max),
    z.superRefine((text, ctx) => {
      const found = hiddenCharacters.exec(text)?.[0];
      if (found === undefined) return;
      const codePoint = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      ctx.addIssue({
        code: 'custom',
        message: `Remove control and invisible format characters (${codePoint})`,
      });
    }),
  );
}
