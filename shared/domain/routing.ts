// Priority and responsible team for a case (DOMAIN.md §3).
import {
  type CaseType,
  type Category,
  type CustomerTier,
  type CustomerType,
  isCategoryOf,
  type Priority,
  priorities,
  type Team,
} from './case-model.ts';
import { ValidationFailed } from './errors.ts';

/** From least to most urgent. */
export const priorityOrder: readonly Priority[] = priorities;

/** Sort key: most urgent first. */
export const priorityRank: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** One level more urgent; urgent stays urgent. */
export function raisePriority(priority: Priority): Priority {
  const index = priorityOrder.indexOf(priority);
  return priorityOrder[Math.min(index + 1, priorityOrder.length - 1)]!;
}

export interface RoutingRule {
  type: CaseType;
  /** The categories this row covers; absent means every category of the type. */
  categories?: readonly Category[];
  priority: Priority;
  team: Team;
  rule: string;
}

/** The first row that matches wins; each type ends with a catch-all row, so every case is routed. */
export const routingTable: readonly RoutingRule[] = [
  {
    type: 'complaint',
    categories: ['privacy'],
    priority: 'urgent',
    team: 'security',
    rule: 'complaint privacy → urgent, security',
  },
  {
    type: 'complaint',
    categories: ['service'],
    priority: 'high',
    team: 'branch',
    rule: 'complaint service → high, branch',
  },
  {
    type: 'complaint',
    categories: ['delivery'],
    priority: 'normal',
    team: 'operations',
    rule: 'complaint delivery → normal, operations',
  },
  {
    type: 'complaint',
    categories: ['billing'],
    priority: 'normal',
    team: 'finance',
    rule: 'complaint billing → normal, finance',
  },
  { type: 'complaint', priority: 'normal', team: 'service', rule: 'complaint other → normal, service' },
  {
    type: 'exception',
    categories: ['lost', 'damaged'],
    priority: 'high',
    team: 'operations',
    rule: 'exception lost or damaged → high, operations',
  },
  { type: 'exception', priority: 'normal', team: 'operations', rule: 'exception → normal, operations' },
  {
    type: 'claim',
    categories: ['lost', 'damaged'],
    priority: 'high',
    team: 'operations',
    rule: 'claim lost or damaged → high, operations',
  },
  { type: 'claim', priority: 'normal', team: 'operations', rule: 'claim → normal, operations' },
  { type: 'inquiry', priority: 'low', team: 'service', rule: 'inquiry → low, service' },
  { type: 'suggestion', priority: 'low', team: 'service', rule: 'suggestion → low, service' },
];

export interface RoutingInput {
  type: CaseType;
  category: Category;
  customerType: CustomerType;
  tier: CustomerTier;
}

export interface RoutingDecision {
  priority: Priority;
  team: Team;
  rule: string;
}

export function routeCase(input: RoutingInput): RoutingDecision {
  const { type, category, customerType, tier } = input;
  // A category from another type would silently fall into a catch-all row and be misrouted.
  if (!isCategoryOf(type, category)) {
    throw new ValidationFailed(`Category ${category} does not belong to type ${type}`, [
      { path: 'category', message: `not a category of ${type}` },
    ]);
  }
  const row = routingTable.find((r) => r.type === type && (!r.categories || r.categories.includes(category)));
  if (!row) throw new Error(`routingTable has no row for ${type}`);

  // An enterprise tier and an enterprise customer type are one reason, named once.
  const uplifts = [
    ...new Set([
      tier !== 'standard' ? tier : undefined,
      customerType === 'enterprise' ? 'enterprise' : undefined,
    ]),
  ]
    .filter((reason) => reason !== undefined)
    .join(' and ');
  // vip and enterprise (tier or type) together still earn a single level (DOMAIN.md §3: "one level higher").
  if (!uplifts) return { priority: row.priority, team: row.team, rule: row.rule };
  const priority = raisePriority(row.priority);
  const uplift =
    priority === row.priority
      ? `${uplifts} customer: already urgent`
      : `${uplifts} customer: raised to ${priority}`;
  return { priority, team: row.team, rule: `${row.rule}; ${uplift}` };
}
