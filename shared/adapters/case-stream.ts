// What the case table's stream carries, read back as the domain's terms: a case item's new image, and the
// committed change it carries (case-items.ts).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CommittedChange } from '../use-cases/ports.ts';
import { committedChangeOf } from './case-items.ts';

/**
 * The change a stream record's new image commits: only when the image is the commit itself (the change's
 * version is the item's), so a later write of the same item that kept the attribute (none does today) is
 * not taken for it.
 */
export function committedChangeOfImage(
  image: Record<string, object> | undefined,
): CommittedChange | undefined {
  if (!image) return undefined;
  // A stream image is DynamoDB's attribute-value JSON, which the SDK's (stricter) type describes.
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'case') return undefined;
  const change = committedChangeOf(item);
  return change && change.version === item.version ? change : undefined;
}

/** What a stream record carries that the completer reads: the item's new image and the record's position. */
export interface StreamRecordOfCase {
  dynamodb?: { NewImage?: Record<string, object>; SequenceNumber?: string };
}

/**
 * The committed changes of a batch of stream records, each with its record's sequence number, leaving out
 * any that cannot be read (their own records fail and are retried on their own, without holding the rest
 * back; they are never counted, so counting the readable ones after them loses nothing).
 */
export function streamedChanges(
  records: readonly StreamRecordOfCase[],
): Array<{ change: CommittedChange; position: string }> {
  return records.flatMap((record) => {
    try {
      const change = committedChangeOfImage(record.dynamodb?.NewImage);
      const position = record.dynamodb?.SequenceNumber;
      return change && position ? [{ change, position }] : [];
    } catch {
      return [];
    }
  });
}
