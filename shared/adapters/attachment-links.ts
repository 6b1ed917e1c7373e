// Links to attachment files in S3, signed here with SigV4 rather than by the S3 client: presigned POSTs
// whose policy holds the exact key, the exact content type and the size range, so S3 itself refuses any
// other upload; short-lived presigned GETs for staff. So a function that only hands out links carries no
// S3 client (about 150 KB of its bundle: the client, its XML and checksum middleware). What this signs is
// byte for byte what the SDK's presigners sign (@aws-sdk/s3-presigned-post's createPresignedPost,
// @aws-sdk/s3-request-presigner's getSignedUrl), with the same credentials chain, region and addressing
// (test/unit/adapters/attachment-links.test.ts compares them).
import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { buildQueryString, extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { createScope, getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { AttachmentLinks } from '../use-cases/ports.ts';
import { configuredS3Endpoint, s3ForcePathStyle } from './s3-addressing.ts';

type Credentials = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;
type BinaryLike = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (and, given a key, HMAC-SHA256) in the shape the signer takes: node:crypto, nothing bundled. */
class Sha256 {
  private readonly hash;
  constructor(secret?: BinaryLike) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: BinaryLike): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const bytes = (data: BinaryLike): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** What links are signed with: the credentials and region an S3 client would use. */
export interface LinkSigning {
  credentials: () => Promise<Credentials>;
  region: () => Promise<string>;
}

/** The environment's, as an S3 client would resolve them: the default chain (the bundles' alias), AWS_REGION. */
export function environmentSigning(): LinkSigning {
  return {
    credentials: defaultProvider(),
    region: loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS),
  };
}

/** A DNS label S3 serves a bucket under (no dots: they would break the certificate's wildcard). */
const hostableBucket = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const ipHost = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/** The bucket's base URL (no trailing slash), as the S3 client addresses it. */
function bucketBase(bucket: string, region: string): { protocol: string; host: string; path: string } {
  const endpoint = configuredS3Endpoint();
  const url = new URL(
    endpoint ?? `https://s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
  );
  const basePath = url.pathname.replace(/\/$/, '');
  if (s3ForcePathStyle() || !hostableBucket.test(bucket) || ipHost.test(url.hostname)) {
    return { protocol: url.protocol, host: url.host, path: `${basePath}/${bucket}` };
  }
  return { protocol: url.protocol, host: `${bucket}.${url.host}`, path: basePath };
}

const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function s3AttachmentLinks(bucket: string | undefined, signing: LinkSigning): AttachmentLinks {
  const name = () => {
    if (!bucket) throw new Error('ATTACHMENTS_BUCKET is not set: this function has no attachment access');
    return bucket;
  };
  const signer = new SignatureV4({
    service: 's3',
    region: signing.region,
    credentials: signing.credentials,
    sha256: Sha256,
    // S3 signs the path as sent: its keys are encoded once, not twice.
    uriEscapePath: false,
    applyChecksum: false,
  });
  return {
    // As createPresignedPost: the form's fields, each also a condition of the policy, then the key.
    async presignUpload({ key, contentType, maxBytes, expiresInSeconds }) {
      const [credentials, region] = await Promise.all([signing.credentials(), signing.region()]);
      const signedAt = new Date();
      const amzDate = iso8601(signedAt).replace(/[-:]/g, '');
      const shortDate = amzDate.slice(0, 8);
      const fields: Record<string, string> = {
        'Content-Type': contentType,
        bucket: name(),
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `${credentials.accessKeyId}/${createScope(shortDate, region, 's3')}`,
        'X-Amz-Date': amzDate,
        ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
      };
      const policy = {
        expiration: iso8601(new Date(signedAt.getTime() + expiresInSeconds * 1000)),
        conditions: [
          ['eq', '$key', key],
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes],
          ...Object.entries(fields).map(([field, value]) => ({ [field]: value })),
          { key },
        ],
      };
      const encodedPolicy = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
      const signingKey = await getSigningKey(Sha256, credentials, shortDate, region, 's3');
      const base = bucketBase(name(), region);
      return {
        url: `${base.protocol}//${base.host}${base.path || '/'}`,
        fields: {
          ...fields,
          key,
          Policy: encodedPolicy,
          'X-Amz-Signature': createHmac('sha256', signingKey).update(encodedPolicy).digest('hex'),
        },
      };
    },
    // As getSignedUrl of a GetObjectCommand: the same query (the S3 client asks for response checksums).
    async downloadUrl(key, { fileName, contentType, expiresInSeconds }) {
      const base = bucketBase(name(), await signing.region());
      const request = new HttpRequest({
        method: 'GET',
        protocol: base.protocol,
        hostname: base.host,
        path: `${base.path}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`,
        query: {
          // RFC 6266: an ASCII fallback and the real (UTF-8) name.
          'response-content-disposition': `inline; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          'response-content-type': contentType,
          'x-id': 'GetObject',
        },
        headers: {
          host: base.host,
          'x-amz-checksum-mode': 'ENABLED',
          'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
        },
      });
      const signed = await signer.presign(request, {
        signingDate: new Date(),
        expiresIn: expiresInSeconds,
        unsignableHeaders: new Set(['content-type']),
      });
      return `${base.protocol}//${base.host}${signed.path}?${buildQueryString(signed.query ?? {})}`;
    },
  };
}
