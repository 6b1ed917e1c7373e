// Cases put straight into the stores, as intake leaves them, for tests of the stores themselves.
import type { CaseTableClient } from '#adapters/case-table-client';
import type { Dependencies } from '#use-cases/ports';
import { anAcceptance, type CaseOptions } from './support-cases.ts';

/** Stores a received case, then saves its acceptance: the case open, its acknowledgements in the outbox. */
export async function storeAcceptedCase(deps: Pick<Dependencies, 'cases'>, options: CaseOptions = {}) {
  const acceptance = anAcceptance(options);
  await deps.cases.createCase(acceptance.received, []);
  const supportCase = await deps.cases.saveCase(acceptance.supportCase, {
    timeline: acceptance.timeline,
    notifications: acceptance.notifications,
  });
  return { ...acceptance, supportCase };
}

/**
 * The timeline entries stored as items under a case (not those read from the change its item carries),
 * as DynamoDB holds them.
 */
export function storedTimelineItems(table: CaseTableClient, caseId: string) {
  return table.queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :timeline)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':timeline': 'TIMELINE#' },
    ConsistentRead: true,
  });
}
