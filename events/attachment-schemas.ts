// The payloads of attachments (API.md "Channels in (email, SMS) and attachments"): the customer's
// declaration of a file, the presigned POST it gets, and the entry both case views list.
import * as z from 'zod';
import { attachmentLimits } from '#domain/attachments';
import { isoTimestamp } from './common.ts';

/**
 * Type and size are checked by the use case (415 and 413, in API.md's errors), not here, so a `.exe`
 * or an 11 MiB file is told apart from a malformed request.
 */
export const attachmentRequestSchema = z
  .strictObject({
    fileName: z.string().trim().min(1).max(255),
    contentType: z.string().trim().min(1).max(100),
    size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .meta({
    id: 'AttachmentRequest',
    description: `Images (JPEG, PNG, WebP, HEIC, GIF) or PDF, at most ${attachmentLimits.maxBytes} bytes, at most ${attachmentLimits.perCase} per case`,
    example: { fileName: '破损照片.jpg', contentType: 'image/jpeg', size: 482113 },
  });

export const attachmentUploadSchema = z
  .object({
    attachmentId: z.uuid(),
    upload: z.object({
      url: z.url().meta({ description: 'POST a multipart form here: the fields, then the file as `file`' }),
      fields: z.record(z.string(), z.string()),
    }),
    expiresAt: isoTimestamp,
  })
  .meta({ id: 'AttachmentUpload' });

export const listedAttachmentSchema = z
  .object({
    attachmentId: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    uploadedAt: isoTimestamp,
  })
  .meta({ id: 'Attachment' });

export const staffAttachmentSchema = listedAttachmentSchema
  .extend({
    url: z
      .url()
      .optional()
      .meta({ description: 'A short-lived download link (images show from it); none for auditors' }),
  })
  .meta({ id: 'StaffAttachment' });
