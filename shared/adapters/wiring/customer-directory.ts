// The customer directory's tiers (`CUSTOMER#`).
import { dynamoCustomerDirectory } from '../customer-directory.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const customerDirectory: PortGroup<PortsOf<'customerDirectory'>> = {
  name: 'customerDirectory',
  build: (config, scope) => ({ customers: dynamoCustomerDirectory(caseTableOf(config, scope)) }),
};
