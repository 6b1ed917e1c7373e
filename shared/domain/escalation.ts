// Tiered response (DOMAIN.md §3, 004 §2.2): specialist → supervisor → manager. Manual escalation,
// an SLA breach and a second reopening all move a case up the same way.

import type { CaseDecisionBuilder } from './case/case-decision.ts';
import { breachNotice } from './case/notifications.ts';
import type { EscalationLevel } from './case-model.ts';
import type { ClockName } from './sla-policy.ts';
import type { SupportCase } from './support-case.ts';

export const escalationRoles = ['specialist', 'supervisor', 'manager'] as const;
export type EscalationRole = (typeof escalationRoles)[number];

export type EscalationCause = 'manual' | 'breach' | 'reopened' | 'appeal' | 'severity';

export function roleForLevel(level: EscalationLevel): EscalationRole {
  return escalationRoles[level];
}

export function nextEscalationLevel(level: EscalationLevel): EscalationLevel | null {
  return level >= 2 ? null : ((level + 1) as EscalationLevel);
}

/** Who leads a team at each level; breach notices go to the lead of the level the case reached. */
export type TeamLeads = Record<string, { supervisor?: string; manager?: string }>;

/**
 * Move a case one level up, recording the escalation in the decision. The new level's lead becomes
 * responsible (the handler is cleared until someone at that level takes it); the owner stays, by the
 * first-responsibility rule. Null when the case already sits with a manager: there is no level above.
 */
export function escalateCase(
  supportCase: SupportCase,
  decision: CaseDecisionBuilder,
  context: {
    at: Date;
    actor: string;
    reason: string;
    cause: EscalationCause;
    teamLeads: TeamLeads;
    /** Keeps notification ids unique and deterministic for this escalation. */
    eventKey: string;
    /** For a breach: the clock that ran out. The entry takes its due time and the new level's lead gets a breach notice. */
    breach?: { clock: ClockName; dueAt: string };
  },
): SupportCase | null {
  const next = nextEscalationLevel(supportCase.escalationLevel);
  if (next === null) return null;
  const at = context.at.toISOString();
  const role = roleForLevel(next);
  const entry = {
    kind: 'escalated' as const,
    actor: context.actor,
    message: `Escalated to ${role}: ${context.reason}`,
    internal: true,
    data: { from: supportCase.escalationLevel, to: next, cause: context.cause, reason: context.reason },
  };
  // A breach escalates once per clock and due time, whichever sweep finds it.
  if (context.breach) {
    decision.addKeyed({ at: context.breach.dueAt, key: `escalated#${context.breach.clock}` }, entry);
  } else {
    decision.add(entry);
  }
  const leadEmail = leadOf(supportCase.team, next, context.teamLeads);
  if (leadEmail && context.breach) {
    decision.notify([
      breachNotice(supportCase, {
        eventKey: context.eventKey,
        recipient: leadEmail,
        escalationLevel: next,
        clock: context.breach.clock,
        dueAt: context.breach.dueAt,
        at,
      }),
    ]);
  }
  return { ...supportCase, escalationLevel: next, handler: null, updatedAt: at };
}

/** The lead responsible at a level: the supervisor below manager level, the manager at it. */
export function leadOf(team: string, level: EscalationLevel, teamLeads: TeamLeads): string | undefined {
  const leads = teamLeads[team] ?? {};
  return level === 2 ? (leads.manager ?? leads.supervisor) : (leads.supervisor ?? leads.manager);
}
