import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '#domain/errors';
import { mobileNumberE164, requireMobileNumber } from '#domain/phone-numbers';
import { inSmsCountries, notAMobileNumber, phoneShape } from '#domain/phone-rules';

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

describe('a phone from a request (the use cases read it; the contract checks only its shape)', () => {
  it('is read as E.164, around spaces too', () => {
    expect(requireMobileNumber(' (+86)138 0013 8000 ', 'customer.phone')).toBe('+8613800138000');
    expect(requireMobileNumber('+8613800138000', 'phone')).toBe('+8613800138000');
  });

  it.each([['+8612345678'], ['010-65529988'], ['+86 10 6552 9988']])(
    'refuses %j with the message the contract gave, at the path given',
    (text) => {
      let thrown: unknown;
      try {
        requireMobileNumber(text, 'contacts.3.phone');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationFailed);
      expect((thrown as ValidationFailed).details).toEqual([
        { path: 'contacts.3.phone', message: notAMobileNumber },
      ]);
    },
  );

  it('has a shape the contract can check with no numbering plans: characters and 7 to 17 digits', () => {
    for (const text of ['13800138000', '(+86)138 0013 8000', '008613800138000', '+8612345678', '+6837012']) {
      expect(phoneShape.test(text)).toBe(true);
    }
    for (const text of ['12345', 'call 13800138000', '+86 138 0013 8000 ext 1', '1'.repeat(18), '+', '']) {
      expect(phoneShape.test(text)).toBe(false);
    }
  });
});
