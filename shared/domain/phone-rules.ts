// What a phone field may hold, and the SMS country rule: plain checks with no numbering plans, so the
// route contracts and the configuration can use them without bundling libphonenumber-js. Reading a
// number as a mobile in E.164 is `#domain/phone-numbers`, called only where a phone is used.
import { ValidationFailed } from './errors.ts';

/**
 * The shape of a phone field: only what people type around a number (digits, spaces, dashes, dots,
 * parentheses and a plus) and 7 to 17 digits (E.164's at most 15, behind a 00 or not; no mobile anywhere
 * has fewer than 7 with its country code). A plain check: whether it is a mobile is `#domain/phone-numbers`.
 */
export const phoneShape = /^[\s().+-]*(?:\d[\s().+-]*){7,17}$/;

/** The longest phone field taken, after trimming. */
export const phoneMaxLength = 40;

/** Why a phone was refused, wherever it was checked (the contract's characters, or the numbering plan). */
export const notAMobileNumber =
  'Use a mobile number: E.164 (+8613800138000) or an 11-digit mainland mobile (13800138000)';

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
