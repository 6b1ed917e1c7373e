// Attachment files in S3: presigned POSTs whose policy holds the exact key, the exact content type and
// the size range, so S3 itself refuses any other upload; short-lived presigned GETs for staff.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentFiles } from '../use-cases/ports.ts';

/** Bytes read from the start of an object: enough for the magic number of every accepted format. */
const sniffBytes = 16;

export function s3AttachmentFiles(client: S3Client, bucket: string | undefined): AttachmentFiles {
  const name = () => {
    if (!bucket) throw new Error('ATTACHMENTS_BUCKET is not set: this function has no attachment access');
    return bucket;
  };
  return {
    async presignUpload({ key, contentType, maxBytes, expiresInSeconds }) {
      const { url, fields } = await createPresignedPost(client, {
        Bucket: name(),
        Key: key,
        Fields: { 'Content-Type': contentType },
        Conditions: [
          ['eq', '$key', key],
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes],
        ],
        Expires: expiresInSeconds,
      });
      return { url, fields };
    },
    async downloadUrl(key, { fileName, contentType, expiresInSeconds }) {
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: name(),
          Key: key,
          ResponseContentType: contentType,
          // RFC 6266: an ASCII fallback and the real (UTF-8) name.
          ResponseContentDisposition: `inline; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        }),
        { expiresIn: expiresInSeconds },
      );
    },
    async inspect(key) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: name(), Key: key, Range: `bytes=0-${sniffBytes - 1}` }),
        );
        const firstBytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
        // A ranged GET reports the whole size in Content-Range (`bytes 0-15/482113`).
        const total = Number(/\/(\d+)$/.exec(object.ContentRange ?? '')?.[1] ?? object.ContentLength ?? 0);
        return { size: total, contentType: object.ContentType ?? '', firstBytes };
      } catch (error) {
        if (error instanceof NoSuchKey || error instanceof NotFound) return null;
        throw error;
      }
    },
    async put(key, contentType, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: name(), Key: key, ContentType: contentType, Body: bytes }),
      );
    },
    async deleteAll(prefix) {
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: name(), Prefix: prefix, ContinuationToken: token }),
        );
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        if (keys.length > 0) {
          await client.send(
            new DeleteObjectsCommand({ Bucket: name(), Delete: { Objects: keys, Quiet: true } }),
          );
          deleted += keys.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
    },
  };
}
