// Links to attachment files signed without the S3 client (attachment-links.ts) are the SDK presigners' own,
// byte for byte: the same URL and form fields as @aws-sdk/s3-presigned-post's createPresignedPost and
// @aws-sdk/s3-request-presigner's getSignedUrl, for the same environment (credentials, region, endpoint)
// and the same instant, wherever the bucket is addressed by host (AWS) or by path (the sandbox).
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { environmentSigning, s3AttachmentLinks } from '#adapters/attachment-links';
import { s3ForcePathStyle } from '#adapters/s3-addressing';

const variables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];
const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));

beforeEach(() => {
  for (const name of variables) delete process.env[name];
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-30T13:45:07.123Z'));
});
afterEach(() => vi.useRealTimers());
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Sets the environment, then signs with both: the SDK's client built as object-store.ts builds it. */
function signers(bucket: string, environment: Record<string, string>) {
  Object.assign(process.env, environment);
  const client = new S3Client({ forcePathStyle: s3ForcePathStyle() });
  return { client, links: s3AttachmentLinks(bucket, environmentSigning()) };
}

const credentials = {
  'with a session token (Lambda)': {
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with+slashes==',
  },
  'without one (the sandbox)': { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' },
};

const addressing: Array<[string, string, Record<string, string>, string]> = [
  [
    'virtual-hosted in AWS',
    'parcel-care-attachments-1a2b',
    { AWS_REGION: 'eu-central-1' },
    'https://parcel-care-attachments-1a2b.s3.eu-central-1.amazonaws.com/',
  ],
  [
    'virtual-hosted in AWS China',
    'parcel-care-attachments-1a2b',
    { AWS_REGION: 'cn-north-1' },
    'https://parcel-care-attachments-1a2b.s3.cn-north-1.amazonaws.com.cn/',
  ],
  [
    'path-style for a bucket with dots',
    'parcel.care.attachments',
    { AWS_REGION: 'us-east-1' },
    'https://s3.us-east-1.amazonaws.com/parcel.care.attachments',
  ],
  [
    "path-style on S3's own endpoint (the sandbox)",
    'attachments',
    { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' },
    'http://127.0.0.1:4569/attachments',
  ],
  [
    'path-style on a general endpoint by IP address',
    'attachments',
    { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
    'http://127.0.0.1:4566/attachments',
  ],
  [
    'virtual-hosted on a general endpoint',
    'attachments',
    { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566' },
    'http://attachments.localhost.localstack.cloud:4566/',
  ],
];

describe.each(Object.entries(credentials))('links signed %s', (_, keys) => {
  describe.each(addressing)('%s', (_, bucket, environment, formUrl) => {
    it("are createPresignedPost's form: URL, fields, policy and signature", async () => {
      const { client, links } = signers(bucket, { ...keys, ...environment });
      const key = 'cases/C-20261130-AB/3f1e0c8a-5b7d-4a51-9d3e-2c1f0e6b7a90';
      const ours = await links.presignUpload({
        key,
        contentType: 'image/jpeg',
        maxBytes: 482_113,
        expiresInSeconds: 900,
      });
      const sdk = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Fields: { 'Content-Type': 'image/jpeg' },
        Conditions: [
          ['eq', '$key', key],
          ['eq', '$Content-Type', 'image/jpeg'],
          ['content-length-range', 1, 482_113],
        ],
        Expires: 900,
      });
      expect(ours.url).toBe(sdk.url);
      expect(JSON.stringify(ours.fields)).toBe(JSON.stringify(sdk.fields));
      expect(ours.url).toBe(formUrl);
      expect('X-Amz-Security-Token' in ours.fields).toBe('AWS_SESSION_TOKEN' in keys);
      const policy = JSON.parse(Buffer.from(ours.fields.Policy!, 'base64').toString('utf8'));
      expect(policy.expiration).toBe('2026-11-30T14:00:07Z');
      client.destroy();
    });

    it("are getSignedUrl's GET URL of the object, with the download's name and type", async () => {
      const { client, links } = signers(bucket, { ...keys, ...environment });
      const key = "cases/C-1/a b+é(1)*!'~.jpg";
      const fileName = '破损 "照片" (1).jpg';
      const ours = await links.downloadUrl(key, {
        fileName,
        contentType: 'image/jpeg',
        expiresInSeconds: 300,
      });
      const sdk = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentType: 'image/jpeg',
          ResponseContentDisposition: `inline; filename="__ ____ (1).jpg"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        }),
        { expiresIn: 300 },
      );
      expect(ours).toBe(sdk);
      expect(new URL(ours).searchParams.get('X-Amz-Date')).toBe('20261130T134507Z');
      client.destroy();
    });
  });
});
