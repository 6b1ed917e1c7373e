// The change a case item carries from its commit to the next: stored as one string, read back whole, and
// taken from a stream image only when the image is that change's own commit; a new case's (version 0) owes
// its contact index entries, which are read from the item.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { caseItem, changeAttribute, committedChangeOf, encodeChange } from '#adapters/case-items';
import { committedChangeOfImage, streamedChanges } from '#adapters/case-stream';
import { markOfPosition } from '#adapters/report-counters';
import type { CommittedChange } from '#use-cases/ports';
import { anAcceptance } from '../../support/support-cases.ts';

function aChange(): CommittedChange & { item: Record<string, unknown> } {
  const { supportCase, timeline, notifications } = anAcceptance();
  const saved = { ...supportCase, version: supportCase.version + 1 };
  const change: CommittedChange = {
    caseId: saved.caseId,
    version: saved.version,
    at: saved.updatedAt,
    timeline,
    notifications,
    reportCounters: { day: '2026-11-30', increments: { 'status.open': 1 } },
  };
  return { ...change, item: { ...caseItem(saved), [changeAttribute]: encodeChange(change) } };
}

describe('the change a case item carries', () => {
  it('reads back as the change that was committed', () => {
    const { item, ...change } = aChange();
    expect(committedChangeOf(item)).toEqual(change);
  });

  it('is read from a stream image of its own commit', () => {
    const { item, ...change } = aChange();
    const image = marshall(item, { removeUndefinedValues: true });
    expect(committedChangeOfImage(image)).toEqual(change);
  });

  it('is not taken from an image of a later version, nor from an item that is not a case', () => {
    const { item } = aChange();
    const later = marshall({ ...item, version: Number(item.version) + 1 }, { removeUndefinedValues: true });
    expect(committedChangeOfImage(later)).toBeUndefined();
    const notACase = marshall({ ...item, entity: 'timeline' }, { removeUndefinedValues: true });
    expect(committedChangeOfImage(notACase)).toBeUndefined();
    expect(committedChangeOfImage(undefined)).toBeUndefined();
  });

  it('is absent from items that carry none, and refused when it is not what this code writes', () => {
    const { item } = aChange();
    const { [changeAttribute]: _change, ...bare } = item;
    expect(committedChangeOf(bare)).toBeUndefined();
    expect(() => committedChangeOf({ ...item, [changeAttribute]: '{"v":"2"}' })).toThrow(/not one this code/);
  });

  it('of a batch leaves out records it cannot read, so the others are still counted, each at its position', () => {
    const { item, ...change } = aChange();
    const good = marshall(item, { removeUndefinedValues: true });
    const broken = marshall({ ...item, [changeAttribute]: '{"v":"2"}' }, { removeUndefinedValues: true });
    const records = [
      { dynamodb: { NewImage: broken, SequenceNumber: '100' } },
      { dynamodb: { NewImage: good, SequenceNumber: '200' } },
      { dynamodb: { SequenceNumber: '300' } },
      { dynamodb: { NewImage: good } },
    ];
    expect(streamedChanges(records)).toEqual([{ change, position: '200' }]);
  });

  it('of a new case owes its contact index entries, read from the case item, not stored twice', () => {
    const { received, timeline } = anAcceptance({ contactHashes: ['email-hash', 'phone-hash'] });
    const creation: CommittedChange = {
      caseId: received.caseId,
      version: received.version,
      at: received.updatedAt,
      timeline: timeline.slice(0, 1),
      notifications: [],
    };
    const stored = encodeChange(creation);
    expect(stored).not.toContain('email-hash');
    expect(committedChangeOf({ ...caseItem(received), [changeAttribute]: stored })).toEqual({
      ...creation,
      opened: {
        contactHashes: ['email-hash', 'phone-hash'],
        trackingNumber: received.trackingNumber,
        createdAt: received.createdAt,
      },
    });
    // Any later change owes none.
    expect(aChange().version).toBeGreaterThan(received.version);
    const { item } = aChange();
    expect(committedChangeOf(item)).not.toHaveProperty('opened');
  });
});

describe('a stream position as a lane mark', () => {
  it('compares as a string as the sequence numbers compare as numbers', () => {
    const positions = ['9', '10', '111301000000000005447766906', '99999999999999999999999999999999999999'];
    const marks = positions.map(markOfPosition);
    expect([...marks].sort()).toEqual(marks);
    expect(marks.every((mark) => mark.length === 40)).toBe(true);
  });

  it('refuses what is not a sequence number', () => {
    for (const position of ['', '12a', '-1', '1'.repeat(41)]) {
      expect(() => markOfPosition(position)).toThrow(/Not a stream sequence number/);
    }
  });
});
