// The abuse limits' windows (`LIMIT#`).
import { dynamoRateLimitStore } from '../rate-limit-store.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const rateLimits: PortGroup<PortsOf<'rateLimits'>> = {
  name: 'rateLimits',
  build: (config, scope) => ({ rateLimits: dynamoRateLimitStore(caseTableOf(config, scope)) }),
};
