// Masked forms of personal data (DOMAIN.md §9): what logs and auditors see instead of the clear values.
// Plain patterns, no numbering plans: the logger in every function and the masked case views use them, so
// neither bundles libphonenumber-js.

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
// Any E.164-looking number, and bare mainland mobiles not glued to other letters or digits (case ids stay readable).
const phonePattern = /\+[1-9]\d{6,14}\b|(?<![\w+])1[3-9]\d{9}(?!\d)/g;

/**
 * Masks every email address and phone number inside free text, e.g. a provider's error message: the
 * logger's last line of defence, in every function. Plain patterns, no numbering plans (those would put
 * libphonenumber-js in every bundle): a mainland mobile however it is split, with or without +86, 0086 or
 * (+86) before it, and any number written with + or 00 and a country code, landlines included.
 */
export function redactPersonalData(text: string): string {
  // Emails first: 13800138000@qq.com is an address, and masking its digits as a phone would leave a part.
  return text
    .replace(emailPattern, maskEmail)
    .replace(phoneInLogPattern, maskPhoneInLog)
    .replace(phonePattern, maskPhone);
}

// ---- maskFreeText: personal data inside what people typed (descriptions, messages, replies) ----

/** Full-width forms (１３８, ＠, ＋) and typographic dashes read as their ASCII twins; each stays one UTF-16 unit. */
function asciiTwins(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000\u2010-\u2015\u2212]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0xff01) return String.fromCharCode(code - 0xfee0);
    return '-';
  });
}

/** One separator people put inside a number: a space, a dash or a dot, with or without spaces around it. */
const sep = '(?: ?[-.] ?| )?';
const notAfterWord = '(?<![\\w+@])';
const notBeforeDigit = '(?![\\dXx])';
const freeTextPatterns: ReadonlyArray<{ kind: 'email' | 'id' | 'phone'; pattern: RegExp }> = [
  { kind: 'email', pattern: /[\w.+-]+ ?@ ?[\w-]+(?:\.[\w-]+)+/g },
  // Resident identity card: 17 digits and a check digit or X, however it is grouped (110101 19900307 123X).
  {
    kind: 'id',
    pattern: new RegExp(`${notAfterWord}[1-9](?:${sep}\\d){16}${sep}[\\dXx]${notBeforeDigit}`, 'g'),
  },
  // Bank cards: 16 to 19 digits, usually in groups of four.
  {
    kind: 'id',
    pattern: new RegExp(`${notAfterWord}[3-6]\\d{3}(?:${sep}\\d{4}){3}(?:${sep}?\\d{1,3})?(?!\\d)`, 'g'),
  },
  // Passports and travel permits: one or two letters and 7 or 8 digits (E12345678, EA1234567, H12345678).
  { kind: 'id', pattern: /(?<![A-Za-z0-9])[A-Za-z]{1,2}\d{7,8}(?![A-Za-z0-9])/g },
  // Mainland mobiles, with or without +86 / 0086, split anyhow (138 0013 8000, 1-3-8…).
  {
    kind: 'phone',
    pattern: new RegExp(`${notAfterWord}(?:(?:\\+|00) ?86${sep})?1${sep}[3-9](?:${sep}\\d){9}(?!\\d)`, 'g'),
  },
  // International numbers: + or 00, a country code and 6 to 14 more digits (+44 20 7946 0958, +1 (415) 555-0100).
  {
    kind: 'phone',
    pattern: new RegExp(`${notAfterWord}(?:\\+|00) ?[1-9](?:(?: ?[-.()] ?| ){0,2}\\d){6,14}(?!\\d)`, 'g'),
  },
  // Mainland landlines: an area code (0xx or 0xxx, maybe in brackets) and 7 or 8 digits (010-6552 9988).
  {
    kind: 'phone',
    pattern: new RegExp(
      `${notAfterWord}(?:\\(0\\d{2,3}\\) ?|0\\d{2,3}${sep})[2-9]\\d{2,3}${sep}\\d{4}(?!\\d)`,
      'g',
    ),
  },
];

/** 138****8000 for any phone: country code 86 and the trunk 0 dropped, then first three and last four digits. */
function maskPhoneInText(found: string): string {
  const digits = found.replace(/\D/g, '');
  const national = /^(?:00)?86(1[3-9]\d{9})$/.exec(digits)?.[1] ?? digits.replace(/^00/, '');
  return maskPhone(national);
}

// For the log, looser than the free-text patterns and with no numbering plans: a mainland mobile with up to
// three spaces, dots, slashes, brackets, tildes or dashes (typographic and full-width ones too) between any
// two digits, after +86, +86 (0), 0086, (+86) or a bare 86; then any other number written with + or 00 and
// a country code (7–15 digits), landlines included.
const gap = '[\\s./()~\\-\\u2010-\\u2015\\u2212\\u30FC\\uFF08\\uFF09\\uFF0D\\uFF0F\\uFF5E]{0,3}';
const mainlandMobile = `1${gap}[3-9](?:${gap}\\d){9}(?!\\d)`;
const phoneInLogPattern = new RegExp(
  [
    `(?:\\(\\s?)?(?:\\+|(?<!\\d)00)\\s?86\\)?(?:\\s?\\(0\\))?${gap}${mainlandMobile}`,
    `(?<![\\w@+])(?:86${gap})?${mainlandMobile}`,
    `(?:\\+|(?<![\\w@+])00)\\s?[1-9](?:${gap}\\d){6,14}(?!\\d)`,
  ].join('|'),
  'g',
);

/** 138****8000 for a number found in a log: read as E.164 (without + or 00, a mainland mobile), then maskPhone. */
function maskPhoneInLog(found: string): string {
  const digits = found.replace(/\D/g, '');
  const international = /^\(?\s?(?:\+|00)/.test(found);
  const number = international ? digits.replace(/^00/, '') : digits;
  // +86 (0)138…: the trunk 0 some write after the country code is no part of the number.
  const mainland = /^(?:86)?0?(1[3-9]\d{9})$/.exec(number)?.[1];
  if (mainland && (!international || number.startsWith('86'))) return maskPhone(`+86${mainland}`);
  return maskPhone(`+${number}`);
}

function maskFound(kind: 'email' | 'id' | 'phone', found: string): string {
  if (kind === 'email') return maskEmail(found.replace(/ /g, ''));
  if (kind === 'id') return '*'.repeat(found.replace(/[^\dA-Za-z]/g, '').length);
  return maskPhoneInText(found);
}

/**
 * Masks phone numbers (mobiles, landlines, international forms), email addresses and ID-like numbers
 * (resident ID, bank card, passport) inside free text, in Chinese or English, written with full-width
 * digits or split by spaces and dashes. Case numbers, waybills, dates and amounts stay readable.
 */
export function maskFreeText(text: string): string {
  const ascii = asciiTwins(text);
  const taken: Array<{ start: number; end: number; masked: string }> = [];
  const overlaps = (start: number, end: number) =>
    taken.some((range) => start < range.end && range.start < end);
  for (const { kind, pattern } of freeTextPatterns) {
    for (const match of ascii.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!overlaps(start, end)) taken.push({ start, end, masked: maskFound(kind, match[0]) });
    }
  }
  // Then mobiles however they are split or prefixed, with the log's looser pattern.
  for (const match of ascii.matchAll(phoneInLogPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!overlaps(start, end)) taken.push({ start, end, masked: maskPhoneInLog(match[0]) });
  }
  taken.sort((a, b) => a.start - b.start);
  let masked = '';
  let from = 0;
  for (const range of taken) {
    masked += text.slice(from, range.start) + range.masked;
    from = range.end;
  }
  return masked + text.slice(from);
}
