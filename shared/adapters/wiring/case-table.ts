// The stores of the case table (DynamoDB): every function that reads or writes cases.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoAttachmentRecords } from '../attachment-records.ts';
import { awsClient } from '../aws-clients.ts';
import { dynamoCaseIndex } from '../case-index.ts';
import { dynamoCaseStore } from '../case-store.ts';
import { caseTableClient } from '../case-table-client.ts';
import { systemClock } from '../clock.ts';
import { dynamoContactRegistry } from '../contact-registry.ts';
import { dynamoCustomerDirectory } from '../customer-directory.ts';
import { dynamoIdempotencyStore } from '../idempotency-store.ts';
import { dynamoIncidentStore } from '../incident-store.ts';
import { dynamoIntakeRequeues } from '../intake-requeues.ts';
import { dynamoOutbox } from '../outbox.ts';
import { dynamoRateLimitStore } from '../rate-limit-store.ts';
import { dynamoReportCounters } from '../report-counters.ts';
import { dynamoRetentionStore } from '../retention-store.ts';
import type { PortGroup, PortsOf } from './wire.ts';

const documentClient = awsClient(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const caseTable: PortGroup<PortsOf<'caseTable'>> = {
  name: 'caseTable',
  build(config) {
    const table = caseTableClient(documentClient(), config.TABLE_NAME);
    return {
      cases: dynamoCaseStore(table),
      caseIndex: dynamoCaseIndex(table),
      outbox: dynamoOutbox(table),
      contacts: dynamoContactRegistry(table),
      reports: dynamoReportCounters(table),
      idempotency: dynamoIdempotencyStore(table),
      intakeRequeues: dynamoIntakeRequeues(table, systemClock.now),
      rateLimits: dynamoRateLimitStore(table),
      retention: dynamoRetentionStore(table),
      customers: dynamoCustomerDirectory(table),
      attachments: dynamoAttachmentRecords(table),
      incidents: dynamoIncidentStore(table),
    };
  },
};
