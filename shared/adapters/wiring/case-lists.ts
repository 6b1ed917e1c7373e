// The agents' lists and the sweep's due clocks (the byTeamStatus and dueClocks indexes).
import { dynamoCaseIndex } from '../case-index.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const caseLists: PortGroup<PortsOf<'caseLists'>> = {
  name: 'caseLists',
  build: (config, scope) => ({ caseIndex: dynamoCaseIndex(caseTableOf(config, scope)) }),
};
