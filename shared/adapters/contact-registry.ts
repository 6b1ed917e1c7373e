// What is kept per contact hash: the index of their cases (owed by each new case's creation), whether we
// may message them (suppression), and the slot that allows one survey per window.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportCase } from '#domain/support-case';
import {
  ConcurrentModification,
  type ContactCaseRef,
  type ContactRegistry,
  type Suppression,
} from '../use-cases/ports.ts';
import { contactCaseKey, contactCasesSince, suppressionKey, surveySlotKey } from './case-keys.ts';
import { type CaseTableClient, isConditionFailure } from './case-table-client.ts';

/**
 * One entry of a contact's case index: owed by the change that creates the case, put by its writer right
 * after the case, or by the table stream's completer if the writer stopped (case-store.ts).
 */
export function contactCaseItem(
  contactHash: string,
  supportCase: Pick<SupportCase, 'caseId' | 'trackingNumber' | 'createdAt'>,
): Record<string, unknown> {
  return {
    ...contactCaseKey(contactHash, supportCase.createdAt, supportCase.caseId),
    entity: 'contactCase',
    caseId: supportCase.caseId,
    trackingNumber: supportCase.trackingNumber,
    createdAt: supportCase.createdAt,
  };
}

export function dynamoContactRegistry(table: CaseTableClient): ContactRegistry {
  const { client, tableName } = table;
  return {
    async findCasesByContact(contactHashes, since) {
      const refs: ContactCaseRef[] = [];
      for (const hash of new Set(contactHashes)) {
        const from = contactCasesSince(hash, since);
        const items = await table.queryAll({
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': from.pk, ':since': from.sk },
        });
        refs.push(...items.map((item) => item as unknown as ContactCaseRef));
      }
      return refs;
    },

    async getSuppression(contactHash) {
      // Eventually consistent: a bounce recorded within the last second may let one more message through.
      const item = await table.get(suppressionKey(contactHash));
      if (!item) return null;
      const { reason, at, channel, caseId } = item as unknown as Suppression;
      return { reason, at, channel, caseId };
    },

    async suppressContact(contactHash, suppression) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...suppressionKey(contactHash), entity: 'suppression', ...suppression },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async reserveSurvey(contactHashes, reservation) {
      const { notificationId, caseId, at, notBefore, expiresAt } = reservation;
      try {
        await table.transact(
          [...new Set(contactHashes)].map((hash) => ({
            Put: {
              TableName: tableName,
              Item: {
                ...surveySlotKey(hash),
                entity: 'surveyed',
                lastSurveyAt: at,
                notificationId,
                caseId,
                expiresAt,
              },
              // Free, or last used before the window, or already held by this very notification (a retry).
              ConditionExpression:
                'attribute_not_exists(pk) OR lastSurveyAt < :notBefore OR notificationId = :notificationId',
              ExpressionAttributeValues: { ':notBefore': notBefore, ':notificationId': notificationId },
            },
          })),
        );
        return true;
      } catch (error) {
        if (error instanceof ConcurrentModification) return false;
        throw error;
      }
    },

    async releaseSurveyReservation(contactHashes, notificationId) {
      for (const hash of new Set(contactHashes)) {
        try {
          await client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: surveySlotKey(hash),
              ConditionExpression: 'notificationId = :notificationId',
              ExpressionAttributeValues: { ':notificationId': notificationId },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
    },
  };
}
