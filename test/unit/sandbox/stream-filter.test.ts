// The sandbox's table-stream source filters records as Lambda event filtering does, for the pattern syntax
// the catalogue uses: nested fields, lists of allowed values, exists, prefix.
import { describe, expect, it } from 'vitest';
import { functions } from '../../../infra/catalogue.ts';
import { checkFilterPattern, matchesFilter } from '../../../infra/sandbox/stream-filter.ts';

const completer = functions.find((fn) => fn.name === 'CaseChangeCompleter');
const completerPattern = () => {
  if (completer?.trigger.kind !== 'tableStream')
    throw new Error('CaseChangeCompleter is not a tableStream trigger');
  const pattern = completer.trigger.filterPattern;
  checkFilterPattern(pattern);
  return pattern;
};

const record = (eventName: string, image: Record<string, unknown> | undefined) => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } }, ...(image ? { NewImage: image } : {}) },
});
const caseItem = (extra: Record<string, unknown> = {}) => ({
  pk: { S: 'CASE#1' },
  entity: { S: 'case' },
  version: { N: '3' },
  ...extra,
});
const change = { chg: { S: '{"v":3,"tl":[],"nt":[],"rc":[]}' } };

describe("CaseChangeCompleter's filter pattern", () => {
  it('passes inserted and modified case items that carry a change', () => {
    expect(matchesFilter(completerPattern(), record('INSERT', caseItem(change)))).toBe(true);
    expect(matchesFilter(completerPattern(), record('MODIFY', caseItem(change)))).toBe(true);
  });

  it('skips case items without a change, other items, removals and a change of another type', () => {
    expect(matchesFilter(completerPattern(), record('MODIFY', caseItem()))).toBe(false);
    expect(
      matchesFilter(completerPattern(), record('INSERT', { ...change, entity: { S: 'timeline' } })),
    ).toBe(false);
    expect(matchesFilter(completerPattern(), record('REMOVE', undefined))).toBe(false);
    expect(matchesFilter(completerPattern(), record('REMOVE', caseItem(change)))).toBe(false);
    expect(matchesFilter(completerPattern(), record('MODIFY', caseItem({ chg: { N: '1' } })))).toBe(false);
    expect(matchesFilter(completerPattern(), record('MODIFY', caseItem({ chg: { M: {} } })))).toBe(false);
  });
});

describe('matchesFilter', () => {
  it('needs every field to match, and any one value of a list', () => {
    const pattern = { a: ['x', 'y'], b: [1] };
    expect(matchesFilter(pattern, { a: 'y', b: 1 })).toBe(true);
    expect(matchesFilter(pattern, { a: 'z', b: 1 })).toBe(false);
    expect(matchesFilter(pattern, { a: 'x', b: '1' })).toBe(false);
    expect(matchesFilter(pattern, { a: 'x' })).toBe(false);
  });

  it('matches a list value when one of its elements matches', () => {
    expect(matchesFilter({ tags: ['red'] }, { tags: ['blue', 'red'] })).toBe(true);
    expect(matchesFilter({ tags: ['red'] }, { tags: ['blue'] })).toBe(false);
  });

  it('tells a field that exists from one that does not, also under a missing parent', () => {
    expect(matchesFilter({ a: { b: [{ exists: true }] } }, { a: { b: '' } })).toBe(true);
    expect(matchesFilter({ a: { b: [{ exists: true }] } }, { a: {} })).toBe(false);
    expect(matchesFilter({ a: { b: [{ exists: false }] } }, { a: {} })).toBe(true);
    expect(matchesFilter({ a: { b: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesFilter({ a: { b: [{ exists: false }] } }, { a: { b: 'there' } })).toBe(false);
    // exists looks at leaf values only, as in EventBridge patterns.
    expect(matchesFilter({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
  });

  it('matches null, booleans and prefixes', () => {
    expect(matchesFilter({ a: [null] }, { a: null })).toBe(true);
    expect(matchesFilter({ a: [true] }, { a: false })).toBe(false);
    expect(matchesFilter({ a: [{ prefix: 'CASE#' }] }, { a: 'CASE#1' })).toBe(true);
    expect(matchesFilter({ a: [{ prefix: 'CASE#' }] }, { a: 'TL#1' })).toBe(false);
  });
});

describe('checkFilterPattern', () => {
  it('refuses what the sandbox does not implement rather than matching too much', () => {
    expect(() => checkFilterPattern({ a: [{ numeric: ['>', 1] }] })).toThrow(/a: .*not supported/);
    expect(() => checkFilterPattern({ a: { b: [{ 'anything-but': ['x'] }] } })).toThrow(/a\.b/);
    expect(() => checkFilterPattern({ a: 'x' })).toThrow(/list of allowed values/);
    expect(() => checkFilterPattern({ a: [] })).toThrow(/empty list/);
    expect(() => checkFilterPattern({})).toThrow(/at least one field/);
    expect(() =>
      checkFilterPattern({ a: ['x', { exists: true }], b: { c: [{ prefix: 'p' }] } }),
    ).not.toThrow();
  });
});
