// The daily report counters (`REPORT#`).
import { dynamoReportCounters } from '../report-counters.ts';
import { caseTableOf } from './table.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const reportCounters: PortGroup<PortsOf<'reportCounters'>> = {
  name: 'reportCounters',
  build: (config, scope) => ({ reports: dynamoReportCounters(caseTableOf(config, scope)) }),
};
