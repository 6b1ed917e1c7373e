// Masked forms of personal data (DOMAIN.md §9): what logs and auditors see instead of the clear values.
import { findMobileNumbers } from './phone-numbers.ts';

/** z***@example.com */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** 138****8000 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

/** 张* */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

const emailPattern = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// Any E.164-looking number the library does not take for a mobile (a landline, a made-up number), and
// bare mainland mobiles not glued to other letters or digits (case ids stay readable).
const phonePattern = /\+[1-9]\d{6,14}\b|(?<![\w+])1[3-9]\d{9}(?!\d)/g;

/** Masks every email address and phone number inside free text, e.g. a provider's error message. */
export function redactPersonalData(text: string): string {
  // Emails first: 13800138000@qq.com is an address, and masking its digits as a phone would leave a part.
  const withoutEmails = text.replace(emailPattern, maskEmail);
  let masked = '';
  let from = 0;
  for (const found of findMobileNumbers(withoutEmails)) {
    masked += withoutEmails.slice(from, found.start) + maskPhone(found.e164);
    from = found.end;
  }
  return (masked + withoutEmails.slice(from)).replace(phonePattern, maskPhone);
}
