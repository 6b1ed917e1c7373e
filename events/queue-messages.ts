// Bodies of the messages on the work queues.
import * as z from '#shared/zod';
import { caseIdSchema } from './common.ts';

export const intakeMessageSchema = z.withMeta(z.object({ caseId: caseIdSchema }), { id: 'IntakeMessage' });
export type IntakeMessage = z.infer<typeof intakeMessageSchema>;

/** A proactive incident notice has no case: its outbox owner is the incident and the recipient's key. */
export const incidentContactOwnerSchema = z.string().check(z.regex(/^IN\d{10}[A-Z]{4}-[A-Za-z0-9_-]{22}$/));

export const notificationMessageSchema = z.withMeta(
  z.object({
    caseId: z.union([caseIdSchema, incidentContactOwnerSchema]),
    notificationId: z.string().check(z.minLength(1)),
  }),
  { id: 'NotificationMessage' },
);
export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

export const slaWorkMessageSchema = z.withMeta(
  z.object({
    caseId: caseIdSchema,
    /** The customer's tier changed: re-prioritise the case instead of checking its clocks. */
    retier: z.optional(z.literal(true)),
  }),
  { id: 'SlaWorkMessage' },
);
export type SlaWorkMessage = z.infer<typeof slaWorkMessageSchema>;

export const incidentFanoutMessageSchema = z.withMeta(
  z.object({
    incidentId: z.string().check(z.regex(/^IN\d{10}[A-Z]{4}$/)),
    round: z.number().check(z.int(), z.gte(0)),
    part: z.enum(['scope', 'links', 'contacts']),
    page: z.number().check(z.int(), z.gte(0)),
  }),
  { id: 'IncidentFanoutMessage' },
);
