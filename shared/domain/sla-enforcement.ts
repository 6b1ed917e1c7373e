// What the deadline sweep does to one case (DOMAIN.md §4): at 80 % of a target a running clock is at
// risk and whoever is responsible is reminded; at 100 % it is breached, the case escalates one level
// and the new level's team lead is told. Pure: time comes in, decisions go out.
//
// Exactly once: every timeline id and notification id is derived from (case, clock, threshold time),
// never from the time of the sweep, so two sweeps that race produce identical writes, and the
// repository's version check and `attribute_not_exists` conditions keep only the first.
import { type CaseDecision, CaseDecisionBuilder } from './case/case-decision.ts';
import { breachNotice } from './case/notifications.ts';
import { escalateCase, leadOf, type TeamLeads } from './escalation.ts';
import { breachClock, markClockAtRisk, type SlaClock } from './sla-clock.ts';
import type { ClockName } from './sla-policy.ts';
import type { NotificationIntent, SupportCase } from './support-case.ts';

export interface EnforcementContext {
  now: Date;
  teamLeads: TeamLeads;
}

const clockOrder: readonly ClockName[] = [
  'firstResponse',
  'plan',
  'resolution',
  'appeal',
  'parcelReturn',
  'transfer',
  'appealRedo',
];

const clockLabels: Record<ClockName, string> = {
  firstResponse: 'First response',
  plan: 'Handling plan',
  resolution: 'Resolution',
  appeal: 'Appeal',
  parcelReturn: 'Return or re-send',
  transfer: 'Transfer',
  appealRedo: 'Appeal redo',
};

/** Null when no running clock has reached a threshold: the sweep has nothing to write. */
export function enforceClocks(supportCase: SupportCase, context: EnforcementContext): CaseDecision | null {
  const { now } = context;
  let current: SupportCase = supportCase;
  const decision = new CaseDecisionBuilder(now);

  // The earliest deadline first, so two breaches found by one late sweep escalate in the order they happened.
  for (const clock of runningClocksByDueTime(supportCase)) {
    const breach = breachClock(clock, now);
    if (breach.changed) {
      current = recordBreach(withClock(current, breach.clock), clock, decision, context);
      continue;
    }
    const atRisk = markClockAtRisk(clock, now);
    if (atRisk.changed) {
      current = withClock(current, atRisk.clock);
      recordAtRisk(current, clock, decision, context);
    }
  }

  if (decision.timeline.length === 0) return null;
  return decision.decide({ ...current, updatedAt: now.toISOString() });
}

function runningClocksByDueTime(supportCase: SupportCase): SlaClock[] {
  return clockOrder
    .map((name) => supportCase.clocks[name])
    .filter((clock): clock is SlaClock => clock?.state === 'running')
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

function withClock(supportCase: SupportCase, clock: SlaClock): SupportCase {
  return { ...supportCase, clocks: { ...supportCase.clocks, [clock.name]: clock } };
}

function recordAtRisk(
  supportCase: SupportCase,
  clock: SlaClock,
  decision: CaseDecisionBuilder,
  context: EnforcementContext,
): void {
  const handlerEmail = supportCase.handler ? supportCase.handlerEmail : undefined;
  const recipient = handlerEmail ?? leadOf(supportCase.team, supportCase.escalationLevel, context.teamLeads);
  const reminded = handlerEmail ? 'handler' : recipient ? 'team_lead' : null;
  decision.addKeyed(
    { at: clock.atRiskAt, key: `at_risk#${clock.name}` },
    {
      kind: 'at_risk',
      actor: 'system',
      message: `${clockLabels[clock.name]} deadline at risk: due ${clock.dueAt}`,
      internal: true,
      data: { clock: clock.name, dueAt: clock.dueAt, atRiskAt: clock.atRiskAt, reminded },
    },
  );
  if (!recipient) return;
  const reminder: NotificationIntent = {
    notificationId: `${supportCase.caseId}.at_risk.${clock.name}.${compactInstant(clock.atRiskAt)}.email`,
    caseId: supportCase.caseId,
    kind: 'at_risk_reminder',
    channel: 'email',
    audience: 'staff',
    recipient,
    locale: 'zh-CN',
    data: {
      kind: 'at_risk_reminder',
      caseId: supportCase.caseId,
      clock: clock.name,
      dueAt: clock.dueAt,
      subject: supportCase.subject,
    },
    dispatchAt: context.now.toISOString(),
  };
  decision.notify([reminder]);
}

/** The breach on the timeline, then one level up; already with a manager, the manager's lead still hears of it. */
function recordBreach(
  supportCase: SupportCase,
  clock: SlaClock,
  decision: CaseDecisionBuilder,
  context: EnforcementContext,
): SupportCase {
  const { dueAt } = clock;
  const label = clockLabels[clock.name];
  const eventKey = `breach.${clock.name}.${compactInstant(dueAt)}`;
  // Internal: the customer's view already shows the deadlines, and who the case went to is staff business.
  decision.addKeyed(
    { at: dueAt, key: `breached#${clock.name}` },
    {
      kind: 'breached',
      actor: 'system',
      message: `${label} deadline missed (due ${dueAt})`,
      internal: true,
      data: {
        clock: clock.name,
        dueAt,
        target: clock.target,
        team: supportCase.team,
        detectedAt: context.now.toISOString(),
      },
    },
  );
  const escalated = escalateCase(supportCase, decision, {
    at: context.now,
    actor: 'system',
    reason: `${label} deadline missed`,
    cause: 'breach',
    teamLeads: context.teamLeads,
    eventKey,
    breach: { clock: clock.name, dueAt },
  });
  // The old handler's address must not receive the next level's reminders.
  if (escalated) return { ...escalated, handlerEmail: undefined };
  const lead = leadOf(supportCase.team, supportCase.escalationLevel, context.teamLeads);
  if (lead) {
    const at = context.now.toISOString();
    const level = supportCase.escalationLevel;
    decision.notify([
      breachNotice(supportCase, {
        eventKey,
        recipient: lead,
        escalationLevel: level,
        clock: clock.name,
        dueAt,
        at,
      }),
    ]);
  }
  return supportCase;
}

/** 2026-11-23T10:00:00.000Z → 20261123T100000000Z: safe in ids, SES tags and sort keys. */
function compactInstant(instant: string): string {
  return instant.replace(/[-:.]/g, '');
}
