// Messages customers send us by email and SMS (issue 16): what an inbound email or text means for a case.
// Pure rules over plain data: loop guards, quoted-reply stripping, the signed reply address, opt-out words.
import type { CaseType, Channel, Locale } from './case-model.ts';
import { inferCategory } from './category-inference.ts';
import type { TimelineEntry } from './support-case.ts';

/** An inbound email as the parser hands it over: headers of interest, and the body as plain text. */
export interface InboundEmail {
  messageId?: string;
  from: { address: string; name?: string };
  /** Every recipient the message names or was delivered to (To, Cc, and SES's envelope recipients). */
  recipients: readonly string[];
  subject: string;
  /** The body as plain text (HTML turned to text when there is no text part), quoted original included. */
  text: string;
  /** Lower-case header names; a header given twice keeps its first value. */
  headers: Readonly<Record<string, string>>;
  /** `multipart/report` marks delivery status notifications (bounces). */
  contentType?: string;
  /** SES's receipt verdicts; absent (the sandbox) means PASS. */
  verdicts?: { spam?: string; virus?: string };
  /** Files the message carries (not inline images without a name). */
  attachments?: readonly InboundAttachment[];
}

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

/** A text to the carrier's number, as End User Messaging SMS reports it. */
export interface InboundSms {
  from: string;
  body: string;
  /** The provider's id of the inbound message: a redelivery carries the same one. */
  messageId?: string;
}

export type IgnoredEmailReason = 'spam' | 'virus' | 'auto_reply' | 'bounce' | 'bulk' | 'no_sender';

/**
 * Why an inbound email must open nothing and get no answer, or null when it may. Answering an
 * auto-reply or a bounce is how mail loops start (RFC 3834), and spam or a virus is never a customer.
 */
export function ignoredEmailReason(mail: InboundEmail): IgnoredEmailReason | null {
  const failed = (verdict: string | undefined) =>
    verdict !== undefined && !['PASS', 'GRAY', 'PROCESSING_FAILED'].includes(verdict.toUpperCase());
  if (failed(mail.verdicts?.virus)) return 'virus';
  if (failed(mail.verdicts?.spam)) return 'spam';
  const header = (name: string) => mail.headers[name]?.trim().toLowerCase();
  const from = mail.from.address.trim().toLowerCase();
  if (!from.includes('@')) return 'no_sender';
  if (
    mail.contentType?.toLowerCase().startsWith('multipart/report') ||
    /^(mailer-daemon|postmaster)@/.test(from) ||
    header('return-path') === '<>'
  ) {
    return 'bounce';
  }
  const autoSubmitted = header('auto-submitted');
  if ((autoSubmitted && autoSubmitted !== 'no') || header('x-autoreply') || header('x-autorespond')) {
    return 'auto_reply';
  }
  if (/^(auto_reply|bulk|junk|list)$/.test(header('precedence') ?? '')) return 'bulk';
  if (header('list-id') || header('list-unsubscribe')) return 'bulk';
  return null;
}

/**
 * The lines that begin a quoted original, in the forms common mail clients write: Gmail and Apple
 * ("On … wrote:"), Outlook ("-----Original Message-----", "From: …" after a rule), and Chinese clients
 * (QQ, Foxmail, NetEase, Outlook in Chinese: "在 … 写道：", "-----原始邮件-----", "发件人：").
 */
const quoteStarts: readonly RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*在.{0,300}写道[:：]\s*$/,
  /^\s*-{2,}\s*(原始邮件|原始郵件|Original Message|Forwarded message|转发的邮件)\s*-{2,}\s*$/i,
  /^\s*(发件人|寄件者|From)\s*[:：].+$/i,
  /^\s*_{10,}\s*$/,
];

/**
 * The new text of a reply: everything before the quoted original, without `>` quoted lines and
 * trailing blank lines. A reply made only of quote yields ''. "On … wrote:" may wrap onto a second line.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const twoLines = `${line} ${lines[index + 1] ?? ''}`;
    if (quoteStarts.some((start) => start.test(line))) break;
    if (/^\s*(On\b|在)/.test(line) && quoteStarts.slice(0, 2).some((start) => start.test(twoLines))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

/** The case numbers a subject names (`Re: 工单 CS2611230001AB 已受理`). */
export function caseIdsIn(text: string): string[] {
  return [...text.matchAll(/CS\d{10,13}[A-Z]{2}/gi)].map((match) => match[0].toUpperCase());
}

/**
 * The address replies to a case go to: plus addressing on the service address, with the case number and
 * a keyed tag, `care+cs2611230001ab.4f1c…@mail.example.com`. Lower case, as some mail systems fold it.
 */
export function replyAddressFor(serviceAddress: string, caseId: string, tag: string): string {
  const [local, domain] = splitAddress(serviceAddress);
  return `${local}+${caseId.toLowerCase()}.${tag.toLowerCase()}@${domain}`;
}

/** The case a signed reply address names, if `address` is one under the service address. */
export function parseReplyAddress(
  serviceAddress: string,
  address: string,
): { caseId: string; tag: string } | null {
  const [serviceLocal, serviceDomain] = splitAddress(serviceAddress);
  const [local, domain] = splitAddress(address);
  if (domain !== serviceDomain) return null;
  const match = /^(.+)\+(cs\d{10,13}[a-z]{2})\.([0-9a-z]{8,64})$/.exec(local);
  if (!match || match[1] !== serviceLocal) return null;
  return { caseId: match[2]!.toUpperCase(), tag: match[3]! };
}

/** Compares two tags in time independent of where they differ. */
export function sameTag(a: string, b: string): boolean {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let difference = left.length ^ right.length;
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    difference |= (left.charCodeAt(index) || 0) ^ (right.charCodeAt(index) || 0);
  }
  return difference === 0;
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf('@');
  return [
    address.slice(0, at).trim().toLowerCase(),
    address
      .slice(at + 1)
      .trim()
      .toLowerCase(),
  ];
}

/** `STOP`, `退订` and `TD`, whatever the case and surrounding space: the carrier opt-out words. */
export function isOptOut(body: string): boolean {
  return ['stop', '退订', 'td', 'unsubscribe'].includes(body.trim().toLowerCase());
}

/** Chinese when the text holds any CJK ideograph, English otherwise. */
export function localeOf(text: string): Locale {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

/** A waybill number in free text: two to four letters then 10–15 digits (SF1234567890123). */
export function trackingNumberIn(text: string): string | undefined {
  return /\b([A-Z]{2,4}\d{10,15})\b/i.exec(text)?.[1]?.toUpperCase();
}

/**
 * What a message that opens a case is: a complaint when it names a waybill and reads as one, an inquiry
 * otherwise (an inquiry needs no waybill). The category is then inferred as for any case without one.
 */
export function inboundCaseType(subject: string, text: string): CaseType {
  if (!trackingNumberIn(`${subject}\n${text}`)) return 'inquiry';
  return inferCategory('complaint', subject, text).matchedKeywords.length > 0 ? 'complaint' : 'inquiry';
}

/** A subject for a case opened by a message without one: its first line, cut to fit. */
export function subjectFor(subject: string, text: string, locale: Locale): string {
  const cleaned = subject.replace(/^\s*((re|fw|fwd|回复|答复|转发)\s*[:：]\s*)+/i, '').trim();
  const firstLine =
    text
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? '';
  const chosen = cleaned || firstLine || (locale === 'zh-CN' ? '（无主题）' : '(no subject)');
  return [...chosen].slice(0, 200).join('');
}

/** Text cut to at most `max` characters (by code point), so a long message still fits the case. */
export function clipText(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * The channel a customer's words on the timeline came by: the case's first message (`created`) and every
 * later one (`customer_message`; those from before channels were recorded came from the case page).
 */
export function channelOfEntry(entry: Pick<TimelineEntry, 'kind' | 'data'>): Channel | undefined {
  if (entry.kind !== 'created' && entry.kind !== 'customer_message') return undefined;
  const channel = entry.data?.channel;
  if (typeof channel === 'string') return channel as Channel;
  return entry.kind === 'customer_message' ? 'web' : undefined;
}
