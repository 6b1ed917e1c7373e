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

/**
 * The committed changes of a batch of stream images, leaving out any that cannot be read (their own
 * records fail and are retried on their own, without holding the rest back).
 */
export function committedChangesOfImages(
  images: ReadonlyArray<Record<string, object> | undefined>,
): CommittedChange[] {
  return images.flatMap((image) => {
    try {
      return committedChangeOfImage(image) ?? [];
    } catch {
      return [];
    }
  });
}
