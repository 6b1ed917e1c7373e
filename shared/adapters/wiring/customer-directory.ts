// The customer directory's tiers (`CUSTOMER#`).
import { dynamoCustomerDirectory } from '../customer-directory.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const customerDirectory: PortGroup<PortsOf<'customerDirectory'>> = {
  name: 'customerDirectory',
  build: (config) => ({ customers: dynamoCustomerDirectory(caseTableOf(config)) }),
};
