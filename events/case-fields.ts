// Request and response fields that both the customer and the staff routes use. A module of their own,
// so an agent function does not build every customer route's schemas to get them (zod builds each schema
// when its module loads).

import { notAMobileNumber, phoneMaxLength, phoneShape } from '#domain/phone-rules';
import * as z from '#shared/zod';
import { caseIdSchema, isoTimestamp } from './common.ts';

/**
 * A phone as people write it, bounded with a plain check (characters and length). The use cases that take
 * a phone read it as a mobile number in E.164 (`requireMobileNumber`, #domain/phone-numbers) and refuse
 * any other with the same message, so the numbering plans are bundled only where a phone is used.
 */
export const phoneSchema = z
  .string()
  .check(z.trim(), z.maxLength(phoneMaxLength, { abort: true }), z.regex(phoneShape, notAMobileNumber));

export const trackingNumberSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9-]{6,40}$/, 'Use 6–40 letters, digits or hyphens'));

export const deadlinesSchema = z.withMeta(
  z.object({
    firstResponseDueAt: isoTimestamp,
    planDueAt: isoTimestamp,
    resolutionDueAt: isoTimestamp,
    /** Once the customer appealed: when the review is due. */
    appealDueAt: z.optional(isoTimestamp),
  }),
  { id: 'Deadlines' },
);

export const caseIdPathSchema = z.object({ caseId: caseIdSchema });

export const compensationViewSchema = z.withMeta(
  z.object({
    amount: z.number(),
    currency: z.string(),
    rule: z.string(),
    approvedBy: z.nullable(z.string()),
  }),
  { id: 'Compensation' },
);
