// Bodies of the messages on the work queues.
import * as z from 'zod';
import { caseIdSchema } from './common.ts';

export const intakeMessageSchema = z.object({ caseId: caseIdSchema }).meta({ id: 'IntakeMessage' });
export type IntakeMessage = z.infer<typeof intakeMessageSchema>;

export const notificationMessageSchema = z
  .object({ caseId: caseIdSchema, notificationId: z.string().min(1) })
  .meta({ id: 'NotificationMessage' });
export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

export const slaWorkMessageSchema = z
  .object({
    caseId: caseIdSchema,
    /** The customer's tier changed: re-prioritise the case instead of checking its clocks. */
    retier: z.literal(true).optional(),
  })
  .meta({ id: 'SlaWorkMessage' });
export type SlaWorkMessage = z.infer<typeof slaWorkMessageSchema>;
