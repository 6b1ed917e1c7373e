// Masked forms of personal data (DOMAIN.md §9): what logs and auditors see instead of the clear values.

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
// E.164 numbers, and bare mainland mobiles not glued to other letters or digits (case ids stay readable).
const phonePattern = /\+[1-9]\d{6,14}\b|(?<![\w+])1[3-9]\d{9}(?!\d)/g;

/** Masks every email address and phone number inside free text, e.g. a provider's error message. */
export function redactPersonalData(text: string): string {
  return text.replace(emailPattern, maskEmail).replace(phonePattern, maskPhone);
}
