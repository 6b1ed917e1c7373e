import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '#domain/errors';
import { jsonTextDepth, maxNestingDepth } from '#domain/nesting-depth';
import { requestFingerprint } from '#use-cases/submit-case';

describe('jsonTextDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['["[[[[", "\\"[[["]', 1],
    ['[[],[[]],[]]', 3],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonTextDepth(text)).toBe(depth);
  });

  it('stops reading once past the limit, so an 8,000-deep text costs no more than a shallow one', () => {
    expect(jsonTextDepth('['.repeat(8_000))).toBe(maxNestingDepth + 1);
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same body with keys in another order', () => {
    expect(requestFingerprint({ a: 1, b: [{ c: 2, d: 3 }] })).toBe(
      requestFingerprint({ b: [{ d: 3, c: 2 }], a: 1 }),
    );
  });

  it('refuses a value nested deeper than the limit instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 8_000; level++) deep = { a: deep };
    expect(() => requestFingerprint(deep)).toThrow(ValidationFailed);
    let atLimit: unknown = 1;
    for (let level = 0; level < maxNestingDepth; level++) atLimit = [atLimit];
    expect(requestFingerprint(atLimit)).toMatch(/^[\w-]{43}$/);
  });
});
