// Raw MIME to an InboundEmail, with postal-mime (no dependencies: charsets are decoded by the runtime's
// TextDecoder, which in Node 24 with full ICU knows GB2312, GBK, GB18030, Big5 and the rest): quoted-printable
// and base64, encoded words in headers, and an HTML-only body turned into text (html-to-text.ts).
import PostalMime, { type Address, type Attachment, decodeWords, type Email } from 'postal-mime';
import { attachmentTypes } from '#domain/attachments';
import type { InboundEmail } from '#domain/inbound-messages';
import { htmlToText } from './html-to-text.ts';

/**
 * Bounds for a message from a stranger, beyond the raw size the mailbox caps (inbound-mailbox.ts): deeper
 * MIME nesting or more header bytes (all parts together) reject the message. A forwarded message
 * (message/rfc822) stays an attachment, as it always was here, so it is never parsed a second time.
 */
export const mailParserOptions = {
  maxNestingDepth: 50,
  maxHeadersSize: 2 * 1024 * 1024,
  forceRfc822Attachments: true,
} as const;

export async function parseInboundEmail(
  raw: Buffer | string,
  envelope: { recipients?: readonly string[]; verdicts?: InboundEmail['verdicts'] } = {},
): Promise<InboundEmail> {
  const parsed = await PostalMime.parse(raw, mailParserOptions);
  const from = parsed.from;
  const messageId = messageIdOf(parsed.messageId);
  const headers = headerTexts(parsed);
  return {
    ...(messageId ? { messageId } : {}),
    from: { address: from?.address ?? '', ...(from?.name ? { name: from.name } : {}) },
    recipients: [
      ...new Set([...addressesOf(parsed.to), ...addressesOf(parsed.cc), ...(envelope.recipients ?? [])]),
    ],
    // From the unfolded header, as the headers below: postal-mime keeps a fold's tab inside the subject.
    subject: headers.subject ? decodeWords(headers.subject) : '',
    text: (parsed.text ?? (parsed.html ? htmlToText(parsed.html) : '')).replace(/\r\n?/g, '\n'),
    headers,
    contentType: contentTypeOf(parsed),
    ...(envelope.verdicts ? { verdicts: envelope.verdicts } : {}),
    attachments: parsed.attachments
      // An inline part without a name is a picture in the HTML (a logo, a signature), not a file sent to us.
      .filter((attachment) => attachment.disposition !== 'inline' || attachment.filename)
      .map((attachment) => {
        const content = bytesOf(attachment.content);
        return {
          fileName: attachment.filename ?? 'attachment',
          contentType: declaredType(attachment),
          size: content.length,
          content,
        };
      }),
  };
}

/** Mailboxes only: a group (`undisclosed-recipients:;`) names no address of its own. */
function addressesOf(addresses: readonly Address[] | undefined): string[] {
  return (addresses ?? []).flatMap((entry) => (entry.address ? [entry.address] : []));
}

/** In angle brackets, as the header writes it (and as the idempotency key was always made from). */
function messageIdOf(value: string | undefined): string | undefined {
  const id = value?.trim();
  if (!id) return undefined;
  return `${id.startsWith('<') ? '' : '<'}${id}${id.endsWith('>') ? '' : '>'}`;
}

/** Each header's first occurrence, unfolded (a line break and the white space after it become a space). */
function headerTexts(parsed: Email): Record<string, string> {
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

/** The message's media type without its parameters, lower case: `multipart/report` marks a bounce. */
function contentTypeOf(parsed: Email): string | undefined {
  const value = parsed.headers.find((header) => header.key === 'content-type')?.value;
  const type = value?.split(';', 1)[0]?.trim().toLowerCase();
  return type || undefined;
}

/**
 * A file sent as `application/octet-stream` takes the type its name's ending says, when that is a type we
 * accept (a photo from a client that labels everything octet-stream); anything else keeps its label and
 * is refused as before.
 */
function declaredType(attachment: Attachment): string {
  const name = attachment.filename?.toLowerCase();
  if (attachment.mimeType !== 'application/octet-stream' || !name) return attachment.mimeType;
  const known = Object.entries(attachmentTypes).find(([, endings]) =>
    endings.some((ending) => name.endsWith(ending)),
  );
  return known?.[0] ?? attachment.mimeType;
}

function bytesOf(content: Attachment['content']): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'base64');
  return content instanceof Uint8Array
    ? Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    : Buffer.from(content);
}
