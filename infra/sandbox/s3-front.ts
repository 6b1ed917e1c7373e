// The S3 emulator's front door, on S3_PORT. fauxqs (the SQS emulator) serves S3 too, on its own port,
// but it does not check the policy of a presigned POST (its postObject stores whatever comes), answers
// no CORS, and has no bucket notifications. This front forwards every S3 call to fauxqs through the
// sandbox's one proxy (fault-proxy.ts), and does those three things as S3 does them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type RunningProxy, startProxy } from './fault-proxy.ts';
import { checkPostPolicy, type S3Refusal, s3ErrorXml } from './post-policy.ts';

/** An object that was stored, as an S3 event notification names it. */
export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  eventName: 'ObjectCreated:Post' | 'ObjectCreated:Put';
}

export interface S3FrontOptions {
  port: number;
  host: string;
  /** fauxqs's own origin, e.g. http://127.0.0.1:4566. */
  target: string;
  /** Origins whose pages may POST uploads (the sandbox's gateway, serving the customer page). */
  allowedOrigins: () => readonly string[];
  /** The secret key of an access key id: the presigned POST's signature is checked with it. */
  secretOf: (accessKeyId: string) => string | undefined;
  /** The clock a policy's expiration is checked against (real time unless a test says otherwise). */
  now?: () => Date;
  /** Called once an object is stored (the bucket notification); errors are the caller's to report. */
  onObjectCreated?: (object: CreatedObject) => void;
}

/** CORS as the stack configures it on the bucket: the site's origin may POST uploads and GET files. */
export function corsHeaders(incoming: IncomingMessage, allowed: readonly string[]): Record<string, string> {
  const origin = String(incoming.headers.origin ?? '');
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, HEAD',
    'access-control-allow-headers': String(incoming.headers['access-control-request-headers'] ?? '*'),
    'access-control-expose-headers': 'ETag',
    'access-control-max-age': '3000',
    vary: 'Origin',
  };
}

const refusal = (answer: S3Refusal) => ({
  answer: {
    status: answer.status,
    headers: { 'content-type': 'application/xml' },
    body: s3ErrorXml(answer, randomUUID()),
  },
});

/** The bucket and key of a path-style URL: /bucket/key… */
function pathOf(incoming: IncomingMessage): { bucket: string; key: string } {
  const path = new URL(incoming.url ?? '/', 'http://s3').pathname;
  const [, bucket = '', ...key] = path.split('/');
  return { bucket: decodeURIComponent(bucket), key: key.map(decodeURIComponent).join('/') };
}

const isUpload = (incoming: IncomingMessage) =>
  incoming.method === 'POST' &&
  String(incoming.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('multipart/form-data');

export async function startS3Front(options: S3FrontOptions): Promise<RunningProxy> {
  const now = options.now ?? (() => new Date());
  // What the policy check learnt of an upload, for its notification once fauxqs has stored it.
  const uploads = new WeakMap<IncomingMessage, { key: string; size: number }>();
  return startProxy(
    new URL(options.target),
    {
      before: async (incoming, body) => {
        // A browser's preflight: answered here, as S3 answers it from the bucket's CORS rules.
        if (incoming.method === 'OPTIONS') return { answer: { status: 200, headers: {}, body: '' } };
        if (!isUpload(incoming)) return { forward: body };
        let form: FormData;
        try {
          form = await new Request('http://s3/', {
            method: 'POST',
            headers: { 'content-type': String(incoming.headers['content-type']) },
            body,
          }).formData();
        } catch {
          return refusal({
            status: 400,
            code: 'MalformedPOSTRequest',
            message: 'The body of your POST request is not well-formed multipart/form-data.',
          });
        }
        const fields: Record<string, string> = {};
        let fileSize = 0;
        for (const [name, value] of form) {
          if (typeof value === 'string') fields[name] = value;
          else fileSize = value.size;
        }
        const problem = checkPostPolicy(
          { fields, fileSize },
          { bucket: pathOf(incoming).bucket, now: now(), secretOf: options.secretOf },
        );
        if (problem) return refusal(problem);
        uploads.set(incoming, { key: fields.key ?? '', size: fileSize });
        return { forward: body };
      },
      after: (incoming, forwarded, status) => {
        if (!options.onObjectCreated || status < 200 || status >= 300) return;
        const { bucket, key } = pathOf(incoming);
        const upload = uploads.get(incoming);
        if (upload) {
          options.onObjectCreated({
            bucket,
            key: upload.key,
            size: upload.size,
            eventName: 'ObjectCreated:Post',
          });
        } else if (
          incoming.method === 'PUT' &&
          key &&
          !incoming.headers['x-amz-copy-source'] &&
          !/[?&]uploadId=/.test(incoming.url ?? '')
        ) {
          options.onObjectCreated({ bucket, key, size: forwarded.length, eventName: 'ObjectCreated:Put' });
        }
      },
      extraHeaders: (incoming) => corsHeaders(incoming, options.allowedOrigins()),
    },
    options.port,
    options.host,
  );
}

/** The message S3 puts on a queue for a stored object (event notification structure 2.1). */
export function s3EventNotification(object: CreatedObject, region: string, at: Date): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: at.toISOString(),
        eventName: object.eventName,
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
          // S3 URL-encodes the key, with spaces as `+`.
          object: {
            key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: object.size,
          },
        },
      },
    ],
  });
}
