// A new case's first assessment (DOMAIN.md §2–4): its category (given or inferred), its route, and the
// clocks started from the moment it was received. Submit shows the deadlines that follow from it; intake
// starts the same clocks, so the deadlines in the answer and in the acknowledgement are the same.
import {
  type CaseType,
  type Category,
  type CategorySource,
  type CustomerContact,
  type CustomerType,
  isCategoryOf,
  type Priority,
  type Team,
} from '../case-model.ts';
import { inferCategory } from '../category-inference.ts';
import { routeCase } from '../routing.ts';
import type { Deadlines } from '../support-case.ts';
import { deadlinesOf, type OpeningClocks, type SlaSettings, startCaseClocks } from './case-clocks.ts';

export interface Classification {
  category: Category;
  categorySource: CategorySource;
  matchedKeywords: string[];
  priority: Priority;
  team: Team;
  routingRule: string;
}

export interface CaseFacts {
  type: CaseType;
  /** The category the customer chose, if any; one that does not belong to the type is inferred instead. */
  category?: string;
  subject: string;
  description: string;
  customer: { type: CustomerType; tier?: CustomerContact['tier'] };
}

export interface Assessment {
  classification: Classification;
  clocks: OpeningClocks;
  deadlines: Deadlines;
}

export function classify(facts: CaseFacts): Classification {
  const given = facts.category;
  const inferred =
    given && isCategoryOf(facts.type, given)
      ? null
      : inferCategory(facts.type, facts.subject, facts.description);
  const category = inferred ? inferred.category : (given as Category);
  const route = routeCase({
    type: facts.type,
    category,
    customerType: facts.customer.type,
    tier: facts.customer.tier ?? 'standard',
  });
  return {
    category,
    categorySource: inferred ? 'inferred' : 'customer',
    matchedKeywords: inferred?.matchedKeywords ?? [],
    priority: route.priority,
    team: route.team,
    routingRule: route.rule,
  };
}

/** The one computation of a new case's category, route, clocks and deadlines. */
export function assessNewCase(facts: CaseFacts, receivedAt: Date, sla: SlaSettings): Assessment {
  const classification = classify(facts);
  const clocks = startCaseClocks({ type: facts.type, ...classification }, receivedAt, sla);
  return { classification, clocks, deadlines: deadlinesOf(clocks) };
}
