// The retention lifecycle: due cases (the retentionDue index), a case's items anonymised or deleted.
import { dynamoRetentionStore } from '../retention-store.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const retentionStore: PortGroup<PortsOf<'retentionStore'>> = {
  name: 'retentionStore',
  build: (config, scope) => ({ retention: dynamoRetentionStore(caseTableOf(config, scope)) }),
};
