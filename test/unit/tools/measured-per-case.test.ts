// A group's counts as the counts of one case (measured.ts perCase): what the capacity model reads.
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../../infra/sandbox/counting-proxy.ts';
import { perCase, type SandboxCounts } from '../../../infra/tools/capacity/measured.ts';

describe('perCase', () => {
  it('divides every tally by the cases and keeps each function’s memory size', () => {
    const group: SandboxCounts = {
      ...emptyCounts(),
      dynamodb: {
        ...emptyCounts().dynamodb,
        calls: { GetItem: 38, BatchGetItem: 42 },
        failed: { PutItem: 2 },
        readUnits: 80,
        tableWriteUnits: 300,
        indexWriteUnits: { byTeamStatus: 80 },
        transactionItems: 60,
        keyWrites: { CASE: 160 },
      },
      sqs: { SendMessageBatch: 40 },
      emails: 20,
      lambda: { IntakeConsumer: { invocations: 6, ms: 900, memoryMb: 512 } },
    };
    const one = perCase(group, 20);
    expect(one.dynamodb.calls).toEqual({ GetItem: 1.9, BatchGetItem: 2.1 });
    expect(one.dynamodb.failed).toEqual({ PutItem: 0.1 });
    expect(one.dynamodb.readUnits).toBe(4);
    expect(one.dynamodb.tableWriteUnits).toBe(15);
    expect(one.dynamodb.indexWriteUnits).toEqual({ byTeamStatus: 4 });
    expect(one.dynamodb.transactionItems).toBe(3);
    expect(one.dynamodb.keyWrites).toEqual({ CASE: 8 });
    expect(one.sqs).toEqual({ SendMessageBatch: 2 });
    expect(one.emails).toBe(1);
    expect(one.lambda).toEqual({ IntakeConsumer: { invocations: 0.3, ms: 45, memoryMb: 512 } });
  });
});
