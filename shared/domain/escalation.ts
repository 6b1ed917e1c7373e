// Tiered response (DOMAIN.md §3, 004 §2.2): specialist → supervisor → manager. Manual escalation,
// an SLA breach and a second reopening all move a case up the same way.
import type { EscalationLevel } from './case-model.ts';
import { entryIdAt, type NotificationIntent, type SupportCase, type TimelineEntry } from './support-case.ts';

export const escalationRoles = ['specialist', 'supervisor', 'manager'] as const;
export type EscalationRole = (typeof escalationRoles)[number];

export type EscalationCause = 'manual' | 'breach' | 'reopened' | 'appeal';

export function roleForLevel(level: EscalationLevel): EscalationRole {
  return escalationRoles[level];
}

export function nextEscalationLevel(level: EscalationLevel): EscalationLevel | null {
  return level >= 2 ? null : ((level + 1) as EscalationLevel);
}

/** Who leads a team at each level; breach notices go to the lead of the level the case reached. */
export type TeamLeads = Record<string, { supervisor?: string; manager?: string }>;

export interface EscalationDecision {
  supportCase: SupportCase;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
  /** False when the case already sits with a manager: there is no level above. */
  escalated: boolean;
}

/**
 * Move a case one level up. The new level's lead becomes responsible (the handler is cleared until
 * someone at that level takes it); the owner stays, by the first-responsibility rule.
 */
export function escalateCase(
  supportCase: SupportCase,
  context: {
    at: Date;
    actor: string;
    reason: string;
    cause: EscalationCause;
    teamLeads: TeamLeads;
    /** Keeps timeline ids and notification ids unique and deterministic for this escalation. */
    eventKey: string;
    sequence?: number;
    /** For a breach: the clock that ran out. The new level's lead gets a breach notice. */
    breach?: { clock: string; dueAt: string };
  },
): EscalationDecision {
  const next = nextEscalationLevel(supportCase.escalationLevel);
  if (next === null) return { supportCase, timeline: [], notifications: [], escalated: false };
  const at = context.at.toISOString();
  const role = roleForLevel(next);
  const escalated: SupportCase = { ...supportCase, escalationLevel: next, handler: null, updatedAt: at };
  const timeline: TimelineEntry[] = [
    {
      entryId: entryIdAt(at, context.sequence ?? 5),
      at,
      kind: 'escalated',
      actor: context.actor,
      message: `Escalated to ${role}: ${context.reason}`,
      internal: true,
      data: { from: supportCase.escalationLevel, to: next, cause: context.cause, reason: context.reason },
    },
  ];
  const leads = context.teamLeads[supportCase.team] ?? {};
  const leadEmail =
    role === 'manager' ? (leads.manager ?? leads.supervisor) : (leads.supervisor ?? leads.manager);
  const notifications: NotificationIntent[] =
    leadEmail && context.breach
      ? [
          {
            notificationId: `${supportCase.caseId}.escalated.${context.eventKey}.email`,
            caseId: supportCase.caseId,
            kind: 'breach_notice',
            channel: 'email',
            audience: 'staff',
            recipient: leadEmail,
            locale: 'zh-CN',
            data: {
              caseId: supportCase.caseId,
              subject: supportCase.subject,
              escalationLevel: next,
              team: supportCase.team,
              clock: context.breach.clock,
              dueAt: context.breach.dueAt,
            },
            dispatchAt: at,
          },
        ]
      : [];
  return { supportCase: escalated, timeline, notifications, escalated: true };
}
