// The cost table's per-step rows: each step's figures are the tally after it less the tally before it,
// and the whole-life row adds the steps up again.
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../../infra/sandbox/counting-proxy.ts';
import { stepCounts, stepTable } from '../../bench/cost.ts';

type Tally = Parameters<typeof stepCounts>[1];

function tally(figures: {
  calls: Record<string, number>;
  readUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: Record<string, number>;
}): Tally {
  const counts = emptyCounts();
  Object.assign(counts.dynamodb, figures);
  return { ...counts, lambda: {}, counting: true };
}

describe('the cost table per step', () => {
  const afterSubmit = tally({
    calls: { TransactWriteItems: 1, UpdateItem: 2 },
    readUnits: 1,
    tableWriteUnits: 6,
    indexWriteUnits: { byStatus: 2 },
  });
  const afterAssign = tally({
    calls: { TransactWriteItems: 2, UpdateItem: 2, GetItem: 1 },
    readUnits: 2,
    tableWriteUnits: 10,
    indexWriteUnits: { byStatus: 6, dueClocks: 2 },
  });

  it('takes each step as the tally after it less the one before, leaving out what did not change', () => {
    expect(stepCounts('assign', afterAssign, afterSubmit)).toEqual({
      step: 'assign',
      calls: { TransactWriteItems: 1, GetItem: 1 },
      readUnits: 1,
      tableWriteUnits: 4,
      indexWriteUnits: { byStatus: 4, dueClocks: 2 },
    });
  });

  it('prints one row per step, a column per index, and the whole life as their sum', () => {
    const rows = stepTable([
      stepCounts('submit', afterSubmit, undefined),
      stepCounts('assign', afterAssign, afterSubmit),
    ]);
    expect(rows[0]).toBe(
      '| per step | calls | read units | table WU | byStatus WU | dueClocks WU | WU total |',
    );
    expect(rows[2]).toBe('| submit | 3 (UpdateItem 2, TransactWriteItems 1) | 1 | 6 | 2 | 0 | 8 |');
    expect(rows[3]).toBe('| assign | 2 (TransactWriteItems 1, GetItem 1) | 1 | 4 | 4 | 2 | 10 |');
    expect(rows[4]).toBe(
      '| whole life | 5 (TransactWriteItems 2, UpdateItem 2, GetItem 1) | 2 | 10 | 6 | 2 | 18 |',
    );
  });
});
