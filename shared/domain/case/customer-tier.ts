// A customer's tier changed (DOMAIN.md §3: VIP and enterprise customers one level higher): each of their
// open cases is routed again for its priority, its running clocks take the targets of that priority while
// keeping the time already used, and an urgent result moves the case to a manager (ownership.ts).
import type { CaseStatus, CustomerTier } from '../case-model.ts';
import { routeCase } from '../routing.ts';
import type { SupportCase } from '../support-case.ts';
import { retargetCaseClocks, type SlaSettings } from './case-clocks.ts';
import { type CaseDecision, CaseDecisionBuilder, unchanged } from './case-decision.ts';
import { ownBySeverity } from './ownership.ts';

/** Cases a tier still changes; resolved and closed cases keep the tier they were handled under. */
export const retierableStatuses: readonly CaseStatus[] = [
  'received',
  'open',
  'in_progress',
  'awaiting_customer',
  'appealed',
];

export function applyCustomerTier(
  supportCase: SupportCase,
  context: { at: Date; tier: CustomerTier; sla: SlaSettings },
): CaseDecision {
  const { tier } = context;
  const from = supportCase.customer.tier;
  if (from === tier || !retierableStatuses.includes(supportCase.status)) return unchanged(supportCase);
  const decision = new CaseDecisionBuilder(context.at);
  const route = routeCase({
    type: supportCase.type,
    category: supportCase.category,
    customerType: supportCase.customer.type,
    tier,
  });
  // The team stays: the case may have been handed to another team since it was routed.
  const retargeted = retargetCaseClocks(
    {
      ...supportCase,
      customer: { ...supportCase.customer, tier },
      priority: route.priority,
      updatedAt: decision.at,
    },
    context.at,
    context.sla,
  );
  decision.add({
    kind: 'tier_changed',
    actor: 'system',
    message: `Customer tier changed from ${from} to ${tier}: priority ${supportCase.priority} → ${route.priority}`,
    internal: true,
    data: {
      from,
      to: tier,
      previousPriority: supportCase.priority,
      priority: route.priority,
      routingRule: route.rule,
      deadlines: retargeted.deadlines,
    },
  });
  return decision.decide(ownBySeverity(retargeted, decision));
}
