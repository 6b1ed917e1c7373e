// Cases (`CASE#`): the case, its timeline, its outbox notifications and its intake re-queue counter. The
// table's other stores are port groups of their own (this folder), so a bundle holds only those it names.
import { dynamoCaseStore } from '../case-store.ts';
import { systemClock } from '../clock.ts';
import { dynamoIntakeRequeues } from '../intake-requeues.ts';
import { dynamoOutbox } from '../outbox.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const caseTable: PortGroup<PortsOf<'caseTable'>> = {
  name: 'caseTable',
  build(config, scope) {
    const table = caseTableOf(config, scope);
    return {
      cases: dynamoCaseStore(table),
      outbox: dynamoOutbox(table),
      intakeRequeues: dynamoIntakeRequeues(table, systemClock.now),
    };
  },
};
