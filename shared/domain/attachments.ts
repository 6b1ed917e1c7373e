// Files attached to a case (API.md "Channels in (email, SMS) and attachments"): photos of the damage,
// receipts. Images and PDF only, at most 10 MiB each and 10 per case. A customer declares a file and gets
// a presigned POST for it; the upload is checked against what S3 stored before the file is listed.
import { CaseDecisionBuilder } from './case/case-decision.ts';
import type { Locale } from './case-model.ts';
import { PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from './errors.ts';
import type { TimelineEntry } from './support-case.ts';
import { customerText } from './timeline-texts.ts';

export const attachmentLimits = {
  /** 10 MiB per file. */
  maxBytes: 10 * 1024 * 1024,
  /** Files per case, whether uploaded by the customer or arriving with an email. */
  perCase: 10,
  /** Characters of a file name kept (the extension is kept whole). */
  fileNameMax: 120,
  /** How long a presigned POST may be used. */
  uploadSeconds: 15 * 60,
  /** How long a staff download link works. */
  downloadSeconds: 5 * 60,
} as const;

/** The accepted types, each with the file name endings it is known by. */
export const attachmentTypes = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/heic': ['.heic', '.heif'],
  'image/gif': ['.gif'],
  'application/pdf': ['.pdf'],
} as const satisfies Record<string, readonly string[]>;
export type AttachmentType = keyof typeof attachmentTypes;
export const attachmentContentTypes = Object.keys(attachmentTypes) as AttachmentType[];

export const attachmentStates = ['pending', 'uploaded', 'rejected'] as const;
export type AttachmentState = (typeof attachmentStates)[number];

export interface Attachment {
  attachmentId: string;
  caseId: string;
  /** The name shown to people, sanitised; never part of the storage key. */
  fileName: string;
  contentType: AttachmentType;
  /** Declared at first; once uploaded, the size S3 stored. */
  size: number;
  state: AttachmentState;
  source: 'customer' | 'email';
  createdAt: string;
  uploadedAt?: string;
  /** Why an upload was not accepted (its bytes are not the declared type, or it is too large). */
  rejectedReason?: string;
}

export interface DeclaredFile {
  fileName: string;
  contentType: string;
  size: number;
}

const isAttachmentType = (type: string): type is AttachmentType => Object.hasOwn(attachmentTypes, type);

/**
 * A file name fit to show and to put in a download header: no path, no control or bidirectional
 * formatting characters (which can disguise `gpj.exe` as `exe.jpg`), no leading dots, at most
 * `fileNameMax` characters with the extension kept. Nothing of it ever goes into a storage key.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  if (!cleaned) return 'attachment';
  const chars = [...cleaned];
  if (chars.length <= attachmentLimits.fileNameMax) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? [...cleaned.slice(dot)].slice(0, 10).join('') : '';
  return `${chars
    .slice(0, attachmentLimits.fileNameMax - [...extension].length)
    .join('')
    .trimEnd()}${extension}`;
}

/**
 * Accepts a declared file or says why not, in API.md's errors: a type other than images and PDF (or a
 * name ending that belongs to another type, like `photo.exe`) is 415, more than 10 MiB is 413.
 */
export function acceptDeclaredFile(declared: DeclaredFile): {
  fileName: string;
  contentType: AttachmentType;
  size: number;
} {
  const contentType = declared.contentType.trim().toLowerCase();
  const fileName = sanitizeFileName(declared.fileName);
  const accepted = `Attach images (JPEG, PNG, WebP, HEIC, GIF) or PDF`;
  if (!isAttachmentType(contentType)) {
    throw new UnsupportedMediaType(accepted, [
      { path: 'contentType', message: `${contentType || '(none)'} is not accepted` },
    ]);
  }
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot).toLowerCase() : '';
  if (extension && !(attachmentTypes[contentType] as readonly string[]).includes(extension)) {
    throw new UnsupportedMediaType(accepted, [
      { path: 'fileName', message: `A ${extension} file is not ${contentType}` },
    ]);
  }
  if (!Number.isInteger(declared.size) || declared.size < 1) {
    throw new ValidationFailed('The size must be a whole number of bytes, at least 1', [
      { path: 'size', message: 'At least 1 byte' },
    ]);
  }
  if (declared.size > attachmentLimits.maxBytes) {
    throw new PayloadTooLarge('A file may be at most 10 MiB', [
      { path: 'size', message: `${declared.size} bytes is more than ${attachmentLimits.maxBytes}` },
    ]);
  }
  return { fileName, contentType, size: declared.size };
}

/** The type a file's first bytes say it is, among the accepted ones; null for anything else. */
export function sniffContentType(bytes: Uint8Array): AttachmentType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  // ISO base media (HEIF): a box of type `ftyp` whose brand is one of HEIF's.
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(ascii(8, 12))) {
    return 'image/heic';
  }
  return null;
}

/**
 * What S3 stored for a pending attachment decides it: uploaded, with the real size, when its bytes are
 * the declared type and within the limit; rejected, with the reason, otherwise.
 */
export function checkUpload(
  attachment: Attachment,
  stored: { size: number; firstBytes: Uint8Array },
): { state: 'uploaded'; size: number } | { state: 'rejected'; reason: string } {
  if (stored.size > attachmentLimits.maxBytes) {
    return { state: 'rejected', reason: `${stored.size} bytes is more than 10 MiB` };
  }
  const sniffed = sniffContentType(stored.firstBytes);
  // JPEG, PNG, WebP, GIF and PDF are told apart by their bytes; HEIC files vary, so its brand is enough.
  if (sniffed !== attachment.contentType) {
    return { state: 'rejected', reason: `The file is not ${attachment.contentType}` };
  }
  return { state: 'uploaded', size: stored.size };
}

/** The storage key of an attachment: the case and the attachment's own id, never the customer's file name. */
export function attachmentKey(caseId: string, attachmentId: string): string {
  return `${attachmentKeyPrefix(caseId)}${attachmentId}`;
}

/** Every file of one case starts with this. */
export function attachmentKeyPrefix(caseId: string): string {
  return `cases/${caseId}/`;
}

/** The case and attachment a storage key names, or null for a key that is not an attachment's. */
export function parseAttachmentKey(key: string): { caseId: string; attachmentId: string } | null {
  const match = /^cases\/([^/]+)\/([A-Za-z0-9-]+)$/.exec(key);
  return match ? { caseId: match[1]!, attachmentId: match[2]! } : null;
}

/** The timeline entry of an uploaded attachment, keyed by the attachment, so it is written once. */
export function attachmentAddedEntry(at: Date, attachment: Attachment, locale: Locale): TimelineEntry {
  return new CaseDecisionBuilder(at).addKeyed(
    { at: at.toISOString(), key: `attachment#${attachment.attachmentId}` },
    {
      kind: 'attachment_added',
      actor: attachment.source === 'email' ? 'system' : 'customer',
      message: customerText(locale, 'attachment_added', { fileName: attachment.fileName }),
      internal: false,
      data: { attachmentId: attachment.attachmentId, size: attachment.size },
    },
  );
}
