// The stored case item is smaller than the case, and reads back as exactly the case that was saved.
import { describe, expect, it } from 'vitest';
import { caseItem, toCase } from '#adapters/case-items';
import { caseIndexKeys, caseKey } from '#adapters/case-keys';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { completeParcelReturn, startParcelReturn } from '#domain/case/process-actions';
import { assignCase } from '#domain/case/staff-actions';
import type { SupportCase } from '#domain/support-case';
import { anOpenCase } from '../../support/support-cases.ts';

/** DynamoDB's item size: attribute names plus values (strings as UTF-8, numbers ≈ 8 B, maps and lists 3 B + 1 B each). */
function itemBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value))
    return 3 + value.reduce((total: number, entry) => total + itemBytes(entry) + 1, 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as object).reduce(
        (total: number, [name, entry]) => total + Buffer.byteLength(name) + itemBytes(entry) + 1,
        0,
      )
    );
  return 0;
}

/** A case late in its life, with every optional field a complaint can carry and realistic hash lengths. */
function aWorkedCase(): SupportCase {
  const open = anOpenCase({
    contactHashes: ['h'.repeat(43)],
    submission: {
      subject: '快递员态度恶劣',
      description: '派送时快递员对我大声辱骂，还把包裹扔在门口。',
      customer: { name: '张三', email: 'cost.1764456000000@example.com', locale: 'zh-CN' },
    } as never,
  });
  return {
    ...open,
    accessTokenHash: 't'.repeat(43),
    tokenNonce: 'n'.repeat(22),
    owner: 'alice',
    handler: 'alice',
    handlerEmail: 'alice@carrier.example',
    deadlines: { ...open.deadlines, appealDueAt: '2026-12-20T10:00:00.000Z' },
    linkedCaseIds: ['CS20261129000001AB'],
    resolvedAt: '2026-11-30T10:00:00.123Z',
    closedAt: '2026-12-01T10:00:00.000Z',
    appealedAt: '2026-11-30T11:00:00.000Z',
    feedback: { score: 5, nps: 9, at: '2026-11-30T12:00:00.000Z' },
  };
}

describe('the stored case item', () => {
  it('reads back as exactly the case that was saved', () => {
    const supportCase = aWorkedCase();
    expect(toCase(caseItem(supportCase))).toEqual(supportCase);
    const fresh = anOpenCase();
    expect(toCase(caseItem(fresh))).toEqual(fresh);
  });

  it('reads items written in the long form, before clocks, deadlines and names were compacted', () => {
    const supportCase = aWorkedCase();
    expect(toCase({ pk: 'CASE#x', sk: 'CASE', entity: 'case', ...supportCase })).toEqual(supportCase);
  });

  it('keeps a worked complaint under 1 KB, one write unit per change, where the long form took two', () => {
    // The lifecycle the cost bench drives: assigned, answered, resolved, rated and closed, never appealed.
    const { appealedAt: _appealed, linkedCaseIds: _linked, deadlines, ...worked } = aWorkedCase();
    const { appealDueAt: _appealDue, ...caseDeadlines } = deadlines;
    const supportCase: SupportCase = { ...worked, deadlines: caseDeadlines, linkedCaseIds: [] };
    expect(itemBytes(caseItem(supportCase))).toBeLessThan(1024);
    const longForm = {
      ...caseKey(supportCase.caseId),
      entity: 'case',
      ...supportCase,
      ...caseIndexKeys(supportCase),
    };
    expect(itemBytes(longForm)).toBeGreaterThan(1024);
  });

  it('stores process clocks compactly, only once started, and keeps a case with two of them under 1 KB (README "Processes")', () => {
    // The worked complaint of the test above, while still in progress.
    const {
      appealedAt: _a,
      closedAt: _c,
      feedback: _f,
      resolvedAt: _r,
      linkedCaseIds: _l,
      deadlines,
      ...rest
    } = aWorkedCase();
    const { appealDueAt: _appealDue, ...caseDeadlines } = deadlines;
    const worked: SupportCase = { ...rest, deadlines: caseDeadlines, linkedCaseIds: [] };
    const at = new Date(worked.createdAt);
    const sla = { calendar: chinaBusinessCalendar() };
    const alice = { sub: 'alice', roles: ['agent' as const], email: 'alice@carrier.example' };
    const returning = startParcelReturn(
      { ...worked, status: 'in_progress' },
      { at, actor: alice, kind: 'address_resend', sla },
    ).supportCase;
    const busy: SupportCase = {
      ...assignCase(returning, { at, actor: alice, team: 'finance', sla }).supportCase,
      remedy: 'reship',
      problem: 'technical',
      forceMajeure: true,
    };
    const item = caseItem(busy);
    expect(toCase(item)).toEqual(busy);
    expect(
      String(item.clocks)
        .split(';')
        .map((clock) => clock[0]),
    ).toEqual(['f', 'p', 'r', 'x', 't']);
    expect(String(caseItem(worked).clocks).split(';')).toHaveLength(3);
    expect(itemBytes(item)).toBeLessThan(1024);
    // Answered, a process clock leaves the item (the timeline keeps how it ended).
    const answered = completeParcelReturn(busy, { at, actor: alice }).supportCase;
    expect(toCase(caseItem(answered)).clocks.parcelReturn).toBeUndefined();
  });
});
