import * as z from 'zod';

export const isoTimestamp = z.iso.datetime({ offset: false }).meta({ example: '2026-11-23T08:00:00.000Z' });

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
