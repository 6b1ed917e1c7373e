// Raw MIME to an InboundEmail, with mailparser: it decodes every charset iconv-lite knows (GB2312, GBK,
// GB18030, Big5, UTF-8, …), quoted-printable and base64, encoded words in headers, and turns an
// HTML-only body into text.
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { InboundEmail } from '#domain/inbound-messages';

export async function parseInboundEmail(
  raw: Buffer | string,
  envelope: { recipients?: readonly string[]; verdicts?: InboundEmail['verdicts'] } = {},
): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const from = parsed.from?.value[0];
  return {
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    from: { address: from?.address ?? '', ...(from?.name ? { name: from.name } : {}) },
    recipients: [
      ...new Set([...addressesOf(parsed.to), ...addressesOf(parsed.cc), ...(envelope.recipients ?? [])]),
    ],
    subject: parsed.subject ?? '',
    text: bodyText(parsed),
    headers: headerTexts(parsed),
    contentType: contentTypeOf(parsed),
    ...(envelope.verdicts ? { verdicts: envelope.verdicts } : {}),
    attachments: parsed.attachments
      .filter((attachment) => attachment.contentDisposition !== 'inline' || attachment.filename)
      .map((attachment) => ({
        fileName: attachment.filename ?? 'attachment',
        contentType: attachment.contentType,
        size: attachment.size,
        content: attachment.content,
      })),
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

/** The text part; for an HTML-only message mailparser renders the HTML as text (html-to-text). */
function bodyText(parsed: ParsedMail): string {
  return parsed.text ?? '';
}

function headerTexts(parsed: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (headers[key] !== undefined) continue;
    headers[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  return headers;
}

function contentTypeOf(parsed: ParsedMail): string | undefined {
  const value = parsed.headers.get('content-type');
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String(value.value);
  return undefined;
}
