import { describe, expect, it } from 'vitest';
import { inSmsCountries, mobileNumberE164 } from '#domain/phone-numbers';

describe('mobile numbers', () => {
  it.each([
    ['+8613800138000'],
    ['13800138000'],
    ['138 0013 8000'],
    ['008613800138000'],
    ['(+86)138 0013 8000'],
    ['+86 138-0013-8000'],
  ])('reads %j as +8613800138000', (text) => {
    expect(mobileNumberE164(text)).toBe('+8613800138000');
  });

  it.each([
    ['too short for a mainland mobile', '+8612345678'],
    ['a Beijing landline', '+86 10 6552 9988'],
    ['a landline dialled at home', '010-6552-9988'],
    ['letters around it', 'call 13800138000'],
    ['an extension', '+8613800138000 ext. 12'],
  ])('refuses %s', (_why, text) => {
    expect(mobileNumberE164(text)).toBeUndefined();
  });

  it('knows mobiles of other countries, which the SMS country rule then judges', () => {
    expect(mobileNumberE164('+44 7911 123456')).toBe('+447911123456');
    expect(inSmsCountries('+447911123456', ['86'])).toBe(false);
    expect(inSmsCountries('+8613800138000', ['86'])).toBe(true);
    expect(inSmsCountries('+85291234567', ['86'])).toBe(false);
    expect(inSmsCountries('+85291234567', ['86', '852'])).toBe(true);
  });
});
