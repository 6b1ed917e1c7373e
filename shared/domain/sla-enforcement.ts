// What the deadline sweep does to one case (DOMAIN.md §4): at 80 % of a target a running clock is at
// risk and whoever is responsible is reminded; at 100 % it is breached, the case escalates one level
// and the new level's team lead is told. Pure: time comes in, decisions go out.
//
// Exactly once: every timeline id and notification id is derived from (case, clock, threshold time),
// never from the time of the sweep, so two sweeps that race produce identical writes, and the
// repository's version check and `attribute_not_exists` conditions keep only the first.
import type { EscalationLevel, Team } from './case-model.ts';
import { escalateCase, type TeamLeads } from './escalation.ts';
import { breachClock, markClockAtRisk, type SlaClock } from './sla-clock.ts';
import type { ClockName } from './sla-policy.ts';
import type { NotificationIntent, SupportCase, TimelineEntry } from './support-case.ts';

export interface ClockBreach {
  clock: ClockName;
  /** The team that owned the case when the clock ran out: the metric's dimension. */
  team: Team;
  dueAt: string;
}

export interface EnforcementDecision {
  supportCase: SupportCase;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
  breaches: ClockBreach[];
}

export interface EnforcementContext {
  now: Date;
  teamLeads: TeamLeads;
}

const clockOrder: readonly ClockName[] = ['firstResponse', 'plan', 'resolution', 'appeal'];

const clockLabels: Record<ClockName, string> = {
  firstResponse: 'First response',
  plan: 'Handling plan',
  resolution: 'Resolution',
  appeal: 'Appeal',
};

/** Null when no running clock has reached a threshold: the sweep has nothing to write. */
export function enforceClocks(
  supportCase: SupportCase,
  context: EnforcementContext,
): EnforcementDecision | null {
  const { now, teamLeads } = context;
  let current: SupportCase = supportCase;
  const timeline: TimelineEntry[] = [];
  const notifications: NotificationIntent[] = [];
  const breaches: ClockBreach[] = [];

  // The earliest deadline first, so two breaches found by one late sweep escalate in the order they happened.
  for (const clock of runningClocksByDueTime(supportCase)) {
    const breach = breachClock(clock, now);
    if (breach.changed) {
      current = withClock(current, breach.clock);
      const outcome = recordBreach(current, clock, { now, teamLeads });
      current = outcome.supportCase;
      timeline.push(...outcome.timeline);
      notifications.push(...outcome.notifications);
      breaches.push({ clock: clock.name, team: supportCase.team, dueAt: clock.dueAt });
      continue;
    }
    const atRisk = markClockAtRisk(clock, now);
    if (atRisk.changed) {
      current = withClock(current, atRisk.clock);
      const outcome = recordAtRisk(current, clock, now, teamLeads);
      timeline.push(outcome.entry);
      notifications.push(...outcome.notifications);
    }
  }

  if (timeline.length === 0) return null;
  return {
    supportCase: { ...current, updatedAt: now.toISOString() },
    timeline,
    notifications,
    breaches,
  };
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
  now: Date,
  teamLeads: TeamLeads,
): { entry: TimelineEntry; notifications: NotificationIntent[] } {
  const handlerEmail = supportCase.handler ? supportCase.handlerEmail : undefined;
  const recipient = handlerEmail ?? leadOf(supportCase.team, supportCase.escalationLevel, teamLeads);
  const reminded = handlerEmail ? 'handler' : recipient ? 'team_lead' : null;
  const entry: TimelineEntry = {
    entryId: `${clock.atRiskAt}#at_risk#${clock.name}`,
    at: clock.atRiskAt,
    kind: 'at_risk',
    actor: 'system',
    message: `${clockLabels[clock.name]} deadline at risk: due ${clock.dueAt}`,
    internal: true,
    data: { clock: clock.name, dueAt: clock.dueAt, atRiskAt: clock.atRiskAt, reminded },
  };
  if (!recipient) return { entry, notifications: [] };
  const reminder: NotificationIntent = {
    notificationId: `${supportCase.caseId}.at_risk.${clock.name}.${compactInstant(clock.atRiskAt)}.email`,
    caseId: supportCase.caseId,
    kind: 'at_risk_reminder',
    channel: 'email',
    audience: 'staff',
    recipient,
    locale: 'zh-CN',
    data: { caseId: supportCase.caseId, clock: clock.name, dueAt: clock.dueAt, subject: supportCase.subject },
    dispatchAt: now.toISOString(),
  };
  return { entry, notifications: [reminder] };
}

function recordBreach(
  supportCase: SupportCase,
  clock: SlaClock,
  context: EnforcementContext,
): { supportCase: SupportCase; timeline: TimelineEntry[]; notifications: NotificationIntent[] } {
  const { dueAt } = clock;
  const label = clockLabels[clock.name];
  const eventKey = `breach.${clock.name}.${compactInstant(dueAt)}`;
  // Internal: the customer's view already shows the deadlines, and who the case went to is staff business.
  const breached: TimelineEntry = {
    entryId: `${dueAt}#breached#${clock.name}`,
    at: dueAt,
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
  };
  const escalation = escalateCase(supportCase, {
    at: context.now,
    actor: 'system',
    reason: `${label} deadline missed`,
    cause: 'breach',
    teamLeads: context.teamLeads,
    eventKey,
    breach: { clock: clock.name, dueAt },
  });
  if (escalation.escalated) {
    return {
      // The old handler's address must not receive the next level's reminders.
      supportCase: { ...escalation.supportCase, handlerEmail: undefined },
      timeline: [
        breached,
        ...escalation.timeline.map((entry) => ({
          ...entry,
          entryId: `${dueAt}#escalated#${clock.name}`,
          at: dueAt,
        })),
      ],
      notifications: escalation.notifications,
    };
  }
  // Already with a manager: there is no level above, but the manager's lead still hears of it.
  const lead = leadOf(supportCase.team, supportCase.escalationLevel, context.teamLeads);
  const notice: NotificationIntent[] = lead
    ? [
        {
          notificationId: `${supportCase.caseId}.escalated.${eventKey}.email`,
          caseId: supportCase.caseId,
          kind: 'breach_notice',
          channel: 'email',
          audience: 'staff',
          recipient: lead,
          locale: 'zh-CN',
          data: {
            caseId: supportCase.caseId,
            subject: supportCase.subject,
            escalationLevel: supportCase.escalationLevel,
            team: supportCase.team,
            clock: clock.name,
            dueAt,
          },
          dispatchAt: context.now.toISOString(),
        },
      ]
    : [];
  return { supportCase, timeline: [breached], notifications: notice };
}

/** The lead responsible at a level: the supervisor below manager level, the manager at it. */
function leadOf(team: Team, level: EscalationLevel, teamLeads: TeamLeads): string | undefined {
  const leads = teamLeads[team] ?? {};
  return level === 2 ? (leads.manager ?? leads.supervisor) : (leads.supervisor ?? leads.manager);
}

/** 2026-11-23T10:00:00.000Z → 20261123T100000000Z: safe in ids, SES tags and sort keys. */
function compactInstant(instant: string): string {
  return instant.replace(/[-:.]/g, '');
}
