// Phone numbers, read with libphonenumber-js: Google's numbering plans as data, pure functions with no
// I/O and no clock. It is the one package the domain imports, because knowing which numbers are
// mobiles in which country is data the project should not keep by hand (README, "Input rules").
// The mobile-only metadata is deliberate: SMS is the only use of a phone here, so a number that is
// not a mobile is refused, and every phone the system holds is a mobile.
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { ValidationFailed } from './errors.ts';

/** Where a number without a country code is read from: mainland China (13800138000). */
const homeCountry = 'CN';

/** Only what people type around a number: digits, spaces, dashes, dots, parentheses and a plus. */
const phoneCharacters = /^[\d\s().+-]{1,40}$/;

/**
 * The mobile number `text` names, in E.164, or undefined when it is no valid mobile number.
 * `+8613800138000`, `13800138000`, `008613800138000` and `(+86)138 0013 8000` are all +8613800138000;
 * `+8612345678` and landlines (`010 6552 9988`) are undefined.
 */
export function mobileNumberE164(text: string): string | undefined {
  if (!phoneCharacters.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, homeCountry);
  return parsed?.isValid() && !parsed.ext ? parsed.number : undefined;
}

/** The country calling codes SMS may go to when the deployment names none. */
export const defaultSmsCountryCodes: readonly string[] = ['86'];

/** Country calling codes are prefix-free (ITU E.164), so a prefix test on the E.164 form is exact. */
export function inSmsCountries(e164: string, countryCodes: readonly string[]): boolean {
  return countryCodes.some((code) => e164.startsWith(`+${code}`));
}

/** The SMS country rule: a customer's phone outside the allowed country codes is refused, naming the rule. */
export function requireSmsCountry(e164: string, countryCodes: readonly string[], path: string): void {
  if (inSmsCountries(e164, countryCodes)) return;
  const allowed = countryCodes.map((code) => `+${code}`).join(', ');
  throw new ValidationFailed('Request body is invalid', [
    { path, message: `SMS goes only to numbers with country code ${allowed} (rule smsCountryCodes)` },
  ]);
}

/** Where mobile numbers sit in free text, however they are written (+86 138 0013 8000, 138-0013-8000). */
export function findMobileNumbers(text: string): Array<{ start: number; end: number; e164: string }> {
  return findPhoneNumbersInText(text, homeCountry).map((found) => ({
    start: found.startsAt,
    end: found.endsAt,
    e164: found.number.number,
  }));
}
