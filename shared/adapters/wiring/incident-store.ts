// Incidents (`INCIDENT#`), the waybills they catch (`WAYBILL#`) and their notices' markers (`COUNTED#`).
import { dynamoIncidentStore } from '../incident-store.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const incidentStore: PortGroup<PortsOf<'incidentStore'>> = {
  name: 'incidentStore',
  build: (config, scope) => ({ incidents: dynamoIncidentStore(caseTableOf(config, scope)) }),
};
