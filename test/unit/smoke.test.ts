import { describe, expect, it } from 'vitest';
import { isCategoryOf } from '#domain/case-model';

describe('case vocabulary', () => {
  it('knows which categories belong to which type', () => {
    expect(isCategoryOf('complaint', 'privacy')).toBe(true);
    expect(isCategoryOf('inquiry', 'privacy')).toBe(false);
  });
});
