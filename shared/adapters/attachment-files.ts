// Attachment files in S3, with the S3 client: their real size, type and first bytes once uploaded, files
// the backend stores itself (email attachments), and a case's files deleted together. The links the
// browser uploads and downloads with are signed without the client (attachment-links.ts).
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AttachmentFiles } from '../use-cases/ports.ts';

/** Bytes read from the start of an object: enough for the magic number of every accepted format. */
const sniffBytes = 16;

export function s3AttachmentFiles(client: S3Client, bucket: string | undefined): AttachmentFiles {
  const name = () => {
    if (!bucket) throw new Error('ATTACHMENTS_BUCKET is not set: this function has no attachment access');
    return bucket;
  };
  return {
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
