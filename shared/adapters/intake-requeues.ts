// How often the sweep handed a case stuck in `received` back to intake: an atomic counter item beside the
// case, so two overlapping sweeps still count every hand-back. It expires on its own once nobody needs it.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IntakeRequeues } from '../use-cases/ports.ts';
import { intakeRequeuesKey } from './case-keys.ts';
import type { CaseTableClient } from './case-table-client.ts';

const keepForSeconds = 30 * 86_400;

export function dynamoIntakeRequeues(table: CaseTableClient, now: () => Date): IntakeRequeues {
  return {
    async countRequeue(caseId) {
      const result = await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: intakeRequeuesKey(caseId),
          UpdateExpression: 'ADD requeues :one SET #entity = :entity, expiresAt = :expires',
          ExpressionAttributeNames: { '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':entity': 'intake_requeues',
            ':expires': Math.floor(now().getTime() / 1000) + keepForSeconds,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.requeues);
    },
  };
}
