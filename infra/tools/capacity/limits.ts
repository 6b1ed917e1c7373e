// The AWS limits the capacity model sets each figure against, each with its source. Hard limits are
// AWS's; adjustable quotas are the value this deployment asks for (Service Quotas / SES and SMS
// support cases) before a peak, and say so.

import { maxDailyCaseNumber } from '#domain/case/registration';

export interface DeclaredLimit {
  value: number;
  unit: string;
  /** A hard limit of the service, or an account quota raised on request. */
  kind: 'hard' | 'adjustable';
  source: string;
}

const dynamoPartitions =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const dynamoQuotas = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html';

export const limits = {
  /** One partition (of the table or of a global secondary index) serves at most this. */
  partitionWriteUnits: { value: 1000, unit: 'WCU/s', kind: 'hard', source: dynamoPartitions },
  partitionReadUnits: { value: 3000, unit: 'RCU/s', kind: 'hard', source: dynamoPartitions },
  /** On-demand table-level throughput, per table and per global secondary index (default 40,000). */
  tableWriteUnits: {
    value: 40_000,
    unit: 'WCU/s',
    kind: 'adjustable',
    source: `${dynamoQuotas} (on-demand: 40,000 write request units per table, default)`,
  },
  tableReadUnits: {
    value: 40_000,
    unit: 'RCU/s',
    kind: 'adjustable',
    source: `${dynamoQuotas} (on-demand: 40,000 read request units per table, default)`,
  },
  /** Concurrent executions of all functions of the account and Region. */
  lambdaConcurrency: {
    value: 1000,
    unit: 'executions',
    kind: 'adjustable',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (default 1,000)',
  },
  /** Standard queues: nearly unlimited requests; the bound is messages received and not yet deleted. */
  sqsInFlight: {
    value: 120_000,
    unit: 'messages in flight',
    kind: 'hard',
    source:
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html (standard queue)',
  },
  /** SES's maximum send rate is per account and Region; production accounts ask for what they need. */
  sesSendRate: {
    value: 1000,
    unit: 'emails/s',
    kind: 'adjustable',
    source:
      'https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html (asked for before launch; a new production account starts at 14/s)',
  },
  /** End User Messaging SMS: messages per second per origination identity (a short code: 100). */
  smsSendRate: {
    value: 100,
    unit: 'SMS/s',
    kind: 'adjustable',
    source: 'https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-mps.html (short code)',
  },
  /**
   * The case id: `CS` + yymmdd + a 4–7 digit daily number (API.md's example has 4–6; widened for the
   * peak, README "Scale"), so at most 9,999,999 cases a day.
   */
  caseNumbersPerDay: {
    value: maxDailyCaseNumber,
    unit: 'cases/day',
    kind: 'hard',
    source: 'shared/domain/case/registration.ts maxDailyCaseNumber (case id: a 4–7 digit daily number)',
  },
} as const satisfies Record<string, DeclaredLimit>;
