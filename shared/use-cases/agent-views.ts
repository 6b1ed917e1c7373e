// What staff see of a case: the whole case with its audit trail, a list row, and the answer to a write.
// Contact details are masked for readers who may not see them in clear (auditors, agents of another
// team), and so is personal data inside free text (a phone typed into the description).
import { channelOfEntry } from '#domain/inbound-messages';
import { maskEmail, maskFreeText, maskName, maskPhone } from '#domain/masking';
import type { SlaClock } from '#domain/sla-clock';
import type { SupportCase, TimelineEntry } from '#domain/support-case';
import type { CaseListRow } from './ports.ts';

export function agentCaseView(
  supportCase: SupportCase,
  timeline: readonly TimelineEntry[],
  options: { masked: boolean },
) {
  const { customer } = supportCase;
  const { masked } = options;
  const text = (value: string) => (masked ? maskFreeText(value) : value);
  return {
    caseId: supportCase.caseId,
    type: supportCase.type,
    category: supportCase.category,
    categorySource: supportCase.categorySource,
    status: supportCase.status,
    priority: supportCase.priority,
    team: supportCase.team,
    owner: supportCase.owner,
    handler: supportCase.handler,
    escalationLevel: supportCase.escalationLevel,
    channel: supportCase.channel,
    ...(supportCase.trackingNumber ? { trackingNumber: supportCase.trackingNumber } : {}),
    subject: text(supportCase.subject),
    description: text(supportCase.description),
    customer: {
      name: masked ? maskName(customer.name) : customer.name,
      ...(customer.email ? { email: masked ? maskEmail(customer.email) : customer.email } : {}),
      ...(customer.phone ? { phone: masked ? maskPhone(customer.phone) : customer.phone } : {}),
      type: customer.type,
      tier: customer.tier,
      locale: customer.locale,
    },
    contactMasked: masked,
    ...(supportCase.shipment ? { shipment: { ...supportCase.shipment } } : {}),
    ...(supportCase.claim ? { claim: supportCase.claim } : {}),
    clocks: Object.fromEntries(
      Object.entries(supportCase.clocks)
        .filter((entry): entry is [string, SlaClock] => entry[1] !== undefined)
        .map(([name, clock]) => [name, clockView(clock)]),
    ),
    deadlines: supportCase.deadlines,
    compensation: supportCase.compensation ?? null,
    feedback: supportCase.feedback
      ? {
          ...supportCase.feedback,
          ...(supportCase.feedback.comment ? { comment: text(supportCase.feedback.comment) } : {}),
        }
      : null,
    appealCount: supportCase.appealCount,
    linkedCaseIds: supportCase.linkedCaseIds,
    timeline: [...timeline]
      .sort((a, b) => a.entryId.localeCompare(b.entryId))
      .map((entry) => {
        const channel = channelOfEntry(entry);
        const shown = masked ? { ...entry, message: maskFreeText(entry.message) } : entry;
        return channel ? { ...shown, channel } : shown;
      }),
    createdAt: supportCase.createdAt,
    updatedAt: supportCase.updatedAt,
    ...(supportCase.resolvedAt ? { resolvedAt: supportCase.resolvedAt } : {}),
    ...(supportCase.closedAt ? { closedAt: supportCase.closedAt } : {}),
    ...(supportCase.intakeFailedAt ? { intakeFailedAt: supportCase.intakeFailedAt } : {}),
    ...(supportCase.parcelReturnKind ? { parcelReturnKind: supportCase.parcelReturnKind } : {}),
    ...(supportCase.problem ? { problem: supportCase.problem } : {}),
    ...(supportCase.remedy ? { remedy: supportCase.remedy } : {}),
    ...(supportCase.forceMajeure ? { forceMajeure: true as const } : {}),
    tier: customer.tier,
    ...(supportCase.incidentId ? { incidentId: supportCase.incidentId } : {}),
  };
}

function clockView(clock: SlaClock) {
  return {
    state: clock.state,
    startedAt: clock.startedAt,
    dueAt: clock.dueAt,
    pausedMs: clock.pausedMs,
    metAt: clock.metAt,
    breachedAt: clock.breachedAt,
    ...(clock.atRisk ? { atRisk: true } : {}),
    ...(clock.approximate ? { approximate: true as const } : {}),
  };
}

/** One row of the agent list: no contact details; the subject's free text masked for auditors. */
export function caseSummary(supportCase: CaseListRow, options: { masked: boolean } = { masked: false }) {
  const clocks = Object.values(supportCase.clocks).filter((clock): clock is SlaClock => clock !== undefined);
  const open = clocks.filter((clock) => clock.state === 'running' || clock.state === 'paused');
  return {
    caseId: supportCase.caseId,
    type: supportCase.type,
    category: supportCase.category,
    status: supportCase.status,
    priority: supportCase.priority,
    team: supportCase.team,
    owner: supportCase.owner,
    handler: supportCase.handler,
    escalationLevel: supportCase.escalationLevel,
    channel: supportCase.channel,
    subject: options.masked ? maskFreeText(supportCase.subject) : supportCase.subject,
    nearestDueAt: open.map((clock) => clock.dueAt).sort()[0] ?? null,
    atRisk: open.some((clock) => clock.atRisk),
    breached: clocks.some((clock) => clock.breachedAt !== null),
    createdAt: supportCase.createdAt,
    updatedAt: supportCase.updatedAt,
    ...(supportCase.intakeFailedAt ? { intakeFailedAt: supportCase.intakeFailedAt } : {}),
  };
}

export function caseActionResult(supportCase: SupportCase) {
  return {
    caseId: supportCase.caseId,
    status: supportCase.status,
    owner: supportCase.owner,
    handler: supportCase.handler,
    team: supportCase.team,
    priority: supportCase.priority,
    category: supportCase.category,
    escalationLevel: supportCase.escalationLevel,
    deadlines: supportCase.deadlines,
    compensation: supportCase.compensation ?? null,
    updatedAt: supportCase.updatedAt,
  };
}
