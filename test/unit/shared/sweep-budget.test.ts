// The sweep at the peak: due cases come a round of shard pages at a time; each round goes to the queue
// before the next is read, and a run whose budget is spent stops between rounds and says so.
import { describe, expect, it } from 'vitest';
import type { CaseIndex, Dependencies } from '#use-cases/ports';
import { queueDueCases } from '#use-cases/sweep-deadlines';

function sweepWorld(rounds: string[][]) {
  const queued: object[][] = [];
  const metrics: string[] = [];
  let roundsRead = 0;
  const caseIndex: CaseIndex = {
    findDueCaseIds: async () => rounds.flat(),
    async *dueCaseIdPages() {
      for (const round of rounds) {
        roundsRead += 1;
        yield round;
      }
    },
    findStuckInIntake: async () => [],
    listCasesByUrgency: async () => ({ cases: [], exhausted: true }),
  };
  const queue = (sent: object[][]) => ({
    send: async (messages: readonly object[]) => void sent.push([...messages]),
  });
  const deps: Pick<Dependencies, 'caseIndex' | 'queues' | 'metrics' | 'logger'> = {
    caseIndex,
    queues: {
      slaWork: queue(queued),
      intake: queue([]),
      notifications: queue([]),
      incidentFanout: queue([]),
    },
    metrics: { count: (name) => void metrics.push(name) },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { deps, queued, metrics, roundsRead: () => roundsRead };
}

const now = new Date('2026-11-11T02:00:00Z');

describe('the sweep within its time budget', () => {
  it('hands every round to the queue as it is read and reports a complete run', async () => {
    const world = sweepWorld([['CS2611110001AB', 'CS2611110002AB'], ['CS2611110003AB']]);
    expect(await queueDueCases(now, world.deps, 40_000)).toEqual({ queued: 3, complete: true });
    expect(world.queued).toEqual([
      [{ caseId: 'CS2611110001AB' }, { caseId: 'CS2611110002AB' }],
      [{ caseId: 'CS2611110003AB' }],
    ]);
    expect(world.metrics).toEqual([]);
  });

  it('stops between rounds once the budget is spent, counts SweepIncomplete, and still makes progress', async () => {
    const world = sweepWorld([['CS2611110001AB'], ['CS2611110002AB'], ['CS2611110003AB']]);
    expect(await queueDueCases(now, world.deps, -1)).toEqual({ queued: 1, complete: false });
    expect(world.queued).toEqual([[{ caseId: 'CS2611110001AB' }]]);
    expect(world.metrics).toEqual(['SweepIncomplete']);
    // It stopped instead of reading on: the rest is still due for the next run.
    expect(world.roundsRead()).toBe(2);
  });
});
