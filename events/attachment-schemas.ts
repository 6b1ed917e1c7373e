// The payloads of attachments (API.md "Channels in (email, SMS) and attachments"): the customer's
// declaration of a file, the presigned POST it gets, and the entry both case views list.

import { attachmentLimits } from '#domain/attachments';
import * as z from '#shared/zod';
import { isoTimestamp } from './common.ts';

/**
 * Type and size are checked by the use case (415 and 413, in API.md's errors), not here, so a `.exe`
 * or an 11 MiB file is told apart from a malformed request.
 */
export const attachmentRequestSchema = z.withMeta(
  z.strictObject({
    fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
    contentType: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    size: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
  }),
  {
    id: 'AttachmentRequest',
    description: `Images (JPEG, PNG, WebP, HEIC, GIF) or PDF, at most ${attachmentLimits.maxBytes} bytes, at most ${attachmentLimits.perCase} per case`,
    example: { fileName: '破损照片.jpg', contentType: 'image/jpeg', size: 482113 },
  },
);

export const attachmentUploadSchema = z.withMeta(
  z.object({
    attachmentId: z.uuid(),
    upload: z.object({
      url: z.withMeta(z.url(), {
        description: 'POST a multipart form here: the fields, then the file as `file`',
      }),
      fields: z.record(z.string(), z.string()),
    }),
    expiresAt: isoTimestamp,
  }),
  { id: 'AttachmentUpload' },
);

export const listedAttachmentSchema = z.withMeta(
  z.object({
    attachmentId: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().check(z.int()),
    uploadedAt: isoTimestamp,
  }),
  { id: 'Attachment' },
);

export const staffAttachmentSchema = z.withMeta(
  z.extend(listedAttachmentSchema, {
    url: z.withMeta(z.optional(z.url()), {
      description: 'A short-lived download link (images show from it); none for auditors',
    }),
  }),
  { id: 'StaffAttachment' },
);
