// A contact's cases (`CONTACT#`), its suppression (`SUPPRESSION#`) and survey slots (`SURVEYED#`).
import { dynamoContactRegistry } from '../contact-registry.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const contactRegistry: PortGroup<PortsOf<'contactRegistry'>> = {
  name: 'contactRegistry',
  build: (config, scope) => ({ contacts: dynamoContactRegistry(caseTableOf(config, scope)) }),
};
