// Phone numbers, read with libphonenumber-js: Google's numbering plans as data, pure functions with no
// I/O and no clock. It is the one package the domain imports, because knowing which numbers are
// mobiles in which country is data the project should not keep by hand (README, "Input rules").
// The mobile-only metadata is deliberate: SMS is the only use of a phone here, so a number that is
// not a mobile is refused, and every phone the system holds is a mobile.
// Only the code that takes a phone imports this module (submitting a case, setting a tier, declaring an
// incident, SMS in): the route contracts check a phone field with the plain rules of `phone-rules.ts`, and
// the masks find phones in text with plain patterns (`masking.ts`), so the numbering plans stay out of the
// other functions' bundles.
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { ValidationFailed } from './errors.ts';
import { notAMobileNumber, phoneMaxLength, phoneShape } from './phone-rules.ts';

/** Where a number without a country code is read from: mainland China (13800138000). */
const homeCountry = 'CN';

/**
 * The mobile number `text` names, in E.164, or undefined when it is no valid mobile number.
 * `+8613800138000`, `13800138000`, `008613800138000` and `(+86)138 0013 8000` are all +8613800138000;
 * `+8612345678` and landlines (`010 6552 9988`) are undefined.
 */
export function mobileNumberE164(text: string): string | undefined {
  if (text.length > phoneMaxLength || !phoneShape.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, homeCountry);
  return parsed?.isValid() && !parsed.ext ? parsed.number : undefined;
}

/**
 * A phone from a request, as E.164, or a 400 naming the field at `path` with the message the route
 * contract gives for a phone it refuses (API.md: E.164, or a bare 11-digit mainland mobile).
 */
export function requireMobileNumber(text: string, path: string): string {
  const e164 = mobileNumberE164(text.trim());
  if (e164 !== undefined) return e164;
  throw new ValidationFailed('Request body is invalid', [{ path, message: notAMobileNumber }]);
}
