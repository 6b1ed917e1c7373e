// Request and response fields that both the customer and the staff routes use. A module of their own,
// so an agent function does not build every customer route's schemas to get them (zod builds each schema
// when its module loads).
import * as z from 'zod';
import { notAMobileNumber, phoneMaxLength, phoneShape } from '#domain/phone-rules';
import { caseIdSchema, isoTimestamp } from './common.ts';

/**
 * A phone as people write it, bounded with a plain check (characters and length). The use cases that take
 * a phone read it as a mobile number in E.164 (`requireMobileNumber`, #domain/phone-numbers) and refuse
 * any other with the same message, so the numbering plans are bundled only where a phone is used.
 */
export const phoneSchema = z
  .string()
  .trim()
  .max(phoneMaxLength, { abort: true })
  .regex(phoneShape, notAMobileNumber);

export const trackingNumberSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{6,40}$/, 'Use 6–40 letters, digits or hyphens');

export const deadlinesSchema = z
  .object({
    firstResponseDueAt: isoTimestamp,
    planDueAt: isoTimestamp,
    resolutionDueAt: isoTimestamp,
    /** Once the customer appealed: when the review is due. */
    appealDueAt: isoTimestamp.optional(),
  })
  .meta({ id: 'Deadlines' });

export const caseIdPathSchema = z.object({ caseId: caseIdSchema });

export const compensationViewSchema = z
  .object({
    amount: z.number(),
    currency: z.string(),
    rule: z.string(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: 'Compensation' });
