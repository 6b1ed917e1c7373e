// The S3 emulator's front door, on S3_PORT. fauxqs (the SQS emulator) serves S3 too, on its own port,
// but it neither answers a browser's CORS requests nor checks the policy of a presigned POST, and it
// has no bucket notifications. This front forwards every S3 call to fauxqs as it came, through the
// sandbox's one proxy (fault-proxy.ts), and adds what the sandbox needs of real S3 (see the hooks).
import type { IncomingMessage } from 'node:http';
import { type ProxyHooks, type RunningProxy, startProxy } from './fault-proxy.ts';

export interface S3FrontOptions {
  port: number;
  host: string;
  /** fauxqs's own origin, e.g. http://127.0.0.1:4566. */
  target: string;
  /** Origins whose pages may POST uploads (the sandbox's gateway, serving the customer page). */
  allowedOrigins: () => readonly string[];
  /** Further checks and effects (the POST policy, bucket notifications); CORS is the front's own. */
  hooks?: Omit<ProxyHooks, 'extraHeaders'>;
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

export async function startS3Front(options: S3FrontOptions): Promise<RunningProxy> {
  const { before, after } = options.hooks ?? {};
  return startProxy(
    new URL(options.target),
    {
      before: (incoming, body) => {
        // A browser's preflight: answered here, as S3 answers it from the bucket's CORS rules.
        if (incoming.method === 'OPTIONS') return { answer: { status: 200, headers: {}, body: '' } };
        return before ? before(incoming, body) : { forward: body };
      },
      ...(after ? { after } : {}),
      extraHeaders: (incoming) => corsHeaders(incoming, options.allowedOrigins()),
    },
    options.port,
    options.host,
  );
}
