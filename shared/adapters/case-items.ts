// The stored shape of a case and of its timeline entries: the record, its keys and its derived index keys.
import type { SupportCase, TimelineEntry } from '#domain/support-case';
import { caseIndexKeys, caseKey, caseKeyAttributes, timelineKey } from './case-keys.ts';
import type { ShardLayout } from './case-table.ts';

export function caseItem(supportCase: SupportCase, shards?: ShardLayout): Record<string, unknown> {
  return {
    ...caseKey(supportCase.caseId),
    entity: 'case',
    ...supportCase,
    ...caseIndexKeys(supportCase, shards),
  };
}

export function toCase(item: Record<string, unknown>): SupportCase {
  const copy = { ...item };
  for (const attribute of caseKeyAttributes) delete copy[attribute];
  return copy as unknown as SupportCase;
}

export function timelineItem(caseId: string, entry: TimelineEntry): Record<string, unknown> {
  return { ...timelineKey(caseId, entry.entryId), entity: 'timeline', ...entry };
}

export function toTimelineEntry(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, entity: _entity, ...entry } = item;
  return entry as unknown as TimelineEntry;
}
