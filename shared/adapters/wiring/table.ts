// The case table's client (DynamoDB), shared by the port groups of its stores that a function names: each
// store is a group of its own (case-table.ts, contact-registry.ts, …), so a bundle holds only those it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { awsClient } from '../aws-clients.ts';
import { type CaseTableClient, caseTableClient } from '../case-table-client.ts';

const documentClient = awsClient(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

let shared: { client: unknown; name: string; table: CaseTableClient } | undefined;

/** The table's client, one per SDK client and table name. */
export function caseTableOf(config: Config): CaseTableClient {
  const client = documentClient();
  if (shared?.client !== client || shared.name !== config.TABLE_NAME) {
    shared = { client, name: config.TABLE_NAME, table: caseTableClient(client, config.TABLE_NAME) };
  }
  return shared.table;
}
