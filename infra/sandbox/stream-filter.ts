// Lambda event filtering (FilterCriteria) as the sandbox's table-stream source applies it: the subset of
// the pattern syntax the catalogue uses. A key in the pattern names a field of the record; its value is
// either a nested pattern (an object) or the list of values the field may have, any of which matches.
// Every key must match (AND); a list matches when one of its entries does (OR). An entry is a literal
// (string, number, boolean, null: equality) or `{ exists: true | false }` (the field is there as a leaf
// value, or is absent), or `{ prefix: '…' }`. Anything else is refused when the pattern is checked, as
// Lambda refuses a mapping whose pattern it cannot parse, rather than silently matching too much.

export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterValue[] };
export type FilterValue =
  | string
  | number
  | boolean
  | null
  | { readonly exists: boolean }
  | { readonly prefix: string };

/** Throws, naming the path, if the pattern uses anything this matcher does not implement. */
export function checkFilterPattern(pattern: unknown, at = ''): asserts pattern is FilterPattern {
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    throw new Error(`Filter pattern${at ? ` at ${at}` : ''}: expected an object with at least one field`);
  }
  for (const [field, value] of Object.entries(pattern)) {
    const path = at ? `${at}.${field}` : field;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new Error(`Filter pattern at ${path}: an empty list matches nothing`);
      for (const entry of value) checkFilterValue(entry, path);
    } else if (isPlainObject(value)) {
      checkFilterPattern(value, path);
    } else {
      throw new Error(
        `Filter pattern at ${path}: a value must be a list of allowed values or a nested pattern`,
      );
    }
  }
}

function checkFilterValue(entry: unknown, path: string): void {
  if (entry === null || ['string', 'number', 'boolean'].includes(typeof entry)) return;
  if (isPlainObject(entry) && Object.keys(entry).length === 1) {
    if (typeof entry.exists === 'boolean' || typeof entry.prefix === 'string') return;
  }
  throw new Error(
    `Filter pattern at ${path}: ${JSON.stringify(entry)} is not supported by the sandbox (literals, exists, prefix)`,
  );
}

/** Whether `record` (the event record as the function would receive it) matches `pattern`. */
export function matchesFilter(pattern: FilterPattern, record: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const value = isPlainObject(record) ? record[field] : undefined;
    return Array.isArray(expected)
      ? (expected as readonly FilterValue[]).some((entry) => valueMatches(entry, value))
      : matchesFilter(expected as FilterPattern, value);
  });
}

function valueMatches(entry: FilterValue, value: unknown): boolean {
  if (isPlainObject(entry)) {
    if ('exists' in entry) return entry.exists === isLeaf(value);
    // A list value matches when one of its elements does, as for literals.
    return leaves(value).some((leaf) => typeof leaf === 'string' && leaf.startsWith(entry.prefix));
  }
  return leaves(value).some((leaf) => leaf === entry);
}

/** A field that is there and not an object: exists matches only leaf values, as in EventBridge patterns. */
function isLeaf(value: unknown): boolean {
  return value !== undefined && !isPlainObject(value);
}

function leaves(value: unknown): unknown[] {
  if (value === undefined || isPlainObject(value)) return [];
  return Array.isArray(value) ? value : [value];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
