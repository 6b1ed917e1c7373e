// The stored shape of a case and of its timeline entries: the record, its keys and its derived index keys.
// Clocks are stored compact (compact-clocks.ts) and expanded again on every read.
import type { SupportCase, TimelineEntry } from '#domain/support-case';
import { type CaseListRow, caseListFields } from '../use-cases/ports.ts';
import { caseIndexKeys, caseKey, caseKeyAttributes, timelineKey } from './case-keys.ts';
import { decodeClocks, encodeClocks } from './compact-clocks.ts';

export function caseItem(supportCase: SupportCase): Record<string, unknown> {
  return {
    ...caseKey(supportCase.caseId),
    entity: 'case',
    ...supportCase,
    clocks: encodeClocks(supportCase.clocks),
    ...caseIndexKeys(supportCase),
  };
}

/** A stored case item, or the part of it an index projects, with its clocks expanded. */
export function toCase(item: Record<string, unknown>): SupportCase {
  const copy = { ...item };
  for (const attribute of caseKeyAttributes) delete copy[attribute];
  return { ...copy, clocks: decodeClocks(item.clocks) } as unknown as SupportCase;
}

/** A row of the agent list, from what the list indexes project of a case item. */
export function toCaseListRow(item: Record<string, unknown>): CaseListRow {
  const row = Object.fromEntries(caseListFields.map((field) => [field, item[field]]));
  return { ...row, clocks: decodeClocks(item.clocks) } as CaseListRow;
}

export function timelineItem(caseId: string, entry: TimelineEntry): Record<string, unknown> {
  return { ...timelineKey(caseId, entry.entryId), entity: 'timeline', ...entry };
}

export function toTimelineEntry(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, entity: _entity, ...entry } = item;
  return entry as unknown as TimelineEntry;
}
