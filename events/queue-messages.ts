// Bodies of the messages on the work queues.
import * as z from 'zod';
import { caseIdSchema } from './common.ts';

export const intakeMessageSchema = z.object({ caseId: caseIdSchema }).meta({ id: 'IntakeMessage' });
export type IntakeMessage = z.infer<typeof intakeMessageSchema>;

/** A proactive incident notice has no case: its outbox owner is the incident and the recipient's key. */
export const incidentContactOwnerSchema = z.string().regex(/^IN\d{10}[A-Z]{4}-[A-Za-z0-9_-]{22}$/);

export const notificationMessageSchema = z
  .object({ caseId: caseIdSchema.or(incidentContactOwnerSchema), notificationId: z.string().min(1) })
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

export const incidentFanoutMessageSchema = z
  .object({
    incidentId: z.string().regex(/^IN\d{10}[A-Z]{4}$/),
    round: z.number().int().min(0),
    part: z.enum(['scope', 'links', 'contacts']),
    page: z.number().int().min(0),
  })
  .meta({ id: 'IncidentFanoutMessage' });
