// The case table's client (DynamoDB), shared by the port groups of its stores that a function names: each
// store is a group of its own (case-table.ts, contact-registry.ts, …), so a bundle holds only those it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { awsClient } from '../aws-clients.ts';
import { type CaseTableClient, caseTableClient } from '../case-table-client.ts';
import type { BuildScope } from './wire.ts';

const documentClient = awsClient(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

/**
 * The table's client, one per function's build: its stores share it, so the single reads they make at once
 * go out as one BatchGetItem (the table client gathers them), as they did when one group built them all.
 */
export const caseTableOf = (config: Config, scope: BuildScope): CaseTableClient =>
  scope.shared('caseTable', () => caseTableClient(documentClient(), config.TABLE_NAME));
