// Ownership by severity (DOMAIN.md §3, 004 §2.2): major complaints (urgent, or escalated twice) belong to a
// manager. We express it as the escalation level, not as the owner: the owner is the first person who took
// the case (首问负责制) and must stay a person, while level 2 makes the team's manager the responsible lead
// (breach notices go to them, and there is no level above). Escalated twice is level 2 by the escalation
// rules already (specialist → supervisor → manager), so both halves of the rule meet in one field.
import type { EscalationLevel, Priority } from '../case-model.ts';
import type { SupportCase } from '../support-case.ts';
import type { CaseDecisionBuilder } from './case-decision.ts';

export const managerLevel: EscalationLevel = 2;

/** The level a case of this priority must at least sit at: a manager's for urgent; never lowered. */
export function levelForSeverity(priority: Priority, level: EscalationLevel): EscalationLevel {
  return priority === 'urgent' ? managerLevel : level;
}

/**
 * Moves an urgent case to the manager level, with an `escalated` entry (cause `severity`) on its
 * timeline. As with any escalation the handler is cleared until someone at that level takes it; the owner
 * stays. A case that is not urgent, or already with a manager, comes back as it was.
 */
export function ownBySeverity(supportCase: SupportCase, decision: CaseDecisionBuilder): SupportCase {
  const level = levelForSeverity(supportCase.priority, supportCase.escalationLevel);
  if (level === supportCase.escalationLevel) return supportCase;
  decision.add({
    kind: 'escalated',
    actor: 'system',
    message: 'Escalated to manager: urgent cases belong to a manager',
    internal: true,
    data: { from: supportCase.escalationLevel, to: level, cause: 'severity', priority: supportCase.priority },
  });
  const { handlerEmail: _previousHandler, ...withoutHandler } = supportCase;
  return { ...withoutHandler, escalationLevel: level, handler: null, updatedAt: decision.at };
}
