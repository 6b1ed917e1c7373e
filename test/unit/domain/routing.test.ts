import { describe, expect, it } from 'vitest';
import {
  type CaseType,
  type Category,
  type CustomerTier,
  type CustomerType,
  caseTypes,
  categoriesByType,
  type Priority,
  type Team,
} from '#domain/case-model';
import { ValidationFailed } from '#domain/errors';
import { priorityOrder, priorityRank, raisePriority, routeCase, routingTable } from '#domain/routing';

const aCase = (
  type: CaseType,
  category: Category,
  customer: { customerType?: CustomerType; tier?: CustomerTier } = {},
) => ({
  type,
  category,
  customerType: customer.customerType ?? 'individual',
  tier: customer.tier ?? 'standard',
});

// DOMAIN.md §3 for a standard individual customer, one line per type and category.
const expected: [CaseType, Category, Priority, Team][] = [
  ['complaint', 'privacy', 'urgent', 'security'],
  ['complaint', 'service', 'high', 'branch'],
  ['complaint', 'delivery', 'normal', 'operations'],
  ['complaint', 'billing', 'normal', 'finance'],
  ['complaint', 'other', 'normal', 'service'],
  ['exception', 'lost', 'high', 'operations'],
  ['exception', 'damaged', 'high', 'operations'],
  ['exception', 'delayed', 'normal', 'operations'],
  ['exception', 'misdelivered', 'normal', 'operations'],
  ['exception', 'address_unknown', 'normal', 'operations'],
  ['exception', 'other', 'normal', 'operations'],
  ['claim', 'lost', 'high', 'operations'],
  ['claim', 'damaged', 'high', 'operations'],
  ['claim', 'delayed', 'normal', 'operations'],
  ['claim', 'missing_contents', 'normal', 'operations'],
  ...categoriesByType.inquiry.map((c): [CaseType, Category, Priority, Team] => [
    'inquiry',
    c,
    'low',
    'service',
  ]),
  ...categoriesByType.suggestion.map((c): [CaseType, Category, Priority, Team] => [
    'suggestion',
    c,
    'low',
    'service',
  ]),
];

describe('routing a standard individual customer', () => {
  it.each(expected)('%s %s → %s, %s', (type, category, priority, team) => {
    const decision = routeCase(aCase(type, category));
    expect(decision).toMatchObject({ priority, team });
    expect(decision.rule).toMatch(new RegExp(`^${type}`));
  });

  it('has an expectation for every category of every type', () => {
    const covered = expected.map(([type, category]) => `${type}/${category}`).sort();
    const all = caseTypes.flatMap((type) => categoriesByType[type].map((c) => `${type}/${c}`)).sort();
    expect(covered).toEqual(all);
  });

  it('says which row matched', () => {
    expect(routeCase(aCase('complaint', 'privacy')).rule).toBe('complaint privacy → urgent, security');
    expect(routeCase(aCase('exception', 'damaged')).rule).toBe(
      'exception lost or damaged → high, operations',
    );
  });

  it('every type has a catch-all row, so no valid case goes unrouted', () => {
    for (const type of caseTypes) {
      expect(routingTable.some((row) => row.type === type && row.categories === undefined)).toBe(true);
    }
  });

  it('refuses a category that belongs to another type rather than misrouting it', () => {
    expect(() => routeCase(aCase('inquiry', 'lost'))).toThrow(ValidationFailed);
  });
});

describe('vip and enterprise customers', () => {
  it('a vip customer is one level higher, same team', () => {
    expect(routeCase(aCase('inquiry', 'price', { tier: 'vip' }))).toMatchObject({
      priority: 'normal',
      team: 'service',
    });
    expect(routeCase(aCase('exception', 'delayed', { tier: 'vip' }))).toMatchObject({
      priority: 'high',
      team: 'operations',
    });
  });

  it('an enterprise customer is one level higher, same team', () => {
    expect(routeCase(aCase('complaint', 'service', { customerType: 'enterprise' }))).toMatchObject({
      priority: 'urgent',
      team: 'branch',
    });
    expect(routeCase(aCase('complaint', 'billing', { customerType: 'enterprise' }))).toMatchObject({
      priority: 'high',
      team: 'finance',
    });
  });

  it('a vip enterprise customer still gets a single level', () => {
    const decision = routeCase(aCase('suggestion', 'product', { tier: 'vip', customerType: 'enterprise' }));
    expect(decision.priority).toBe('normal');
    expect(decision.rule).toBe('suggestion → low, service; vip and enterprise customer: raised to normal');
  });

  it('is capped at urgent', () => {
    const decision = routeCase(aCase('complaint', 'privacy', { tier: 'vip' }));
    expect(decision).toMatchObject({ priority: 'urgent', team: 'security' });
    expect(decision.rule).toBe('complaint privacy → urgent, security; vip customer: already urgent');
  });

  it('records the uplift in the rule', () => {
    expect(routeCase(aCase('claim', 'lost', { customerType: 'enterprise' })).rule).toBe(
      'claim lost or damaged → high, operations; enterprise customer: raised to urgent',
    );
  });
});

describe('priority order', () => {
  it('runs from low to urgent', () => {
    expect(priorityOrder).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it.each([
    ['low', 'normal'],
    ['normal', 'high'],
    ['high', 'urgent'],
    ['urgent', 'urgent'],
  ] as const)('raising %s gives %s', (from, to) => {
    expect(raisePriority(from)).toBe(to);
  });

  it('ranks sort the most urgent first', () => {
    const sorted = (['low', 'urgent', 'normal', 'high'] as Priority[]).sort(
      (a, b) => priorityRank[a] - priorityRank[b],
    );
    expect(sorted).toEqual(['urgent', 'high', 'normal', 'low']);
    expect(priorityRank).toEqual({ urgent: 0, high: 1, normal: 2, low: 3 });
  });
});
