// Submissions already answered (`IDEMPOTENCY#`).
import { dynamoIdempotencyStore } from '../idempotency-store.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const idempotencyRecords: PortGroup<PortsOf<'idempotencyRecords'>> = {
  name: 'idempotencyRecords',
  build: (config, scope) => ({ idempotency: dynamoIdempotencyStore(caseTableOf(config, scope)) }),
};
