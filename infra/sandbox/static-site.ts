// The built pages (`npm run build:web`, run by `npm start` and `npm test`) served by the sandbox's gateway
// at the paths API.md's "Pages" fixes, with the same security headers as the deployed site.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { siteFileFor, siteSecurityHeaders } from '../../web/site-routes.ts';

export const siteDir = path.resolve(import.meta.dirname, '../../web/dist');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Answers GET/HEAD for a page or an asset of the built site; false when the path is not the site's. */
export function serveSite(
  method: string,
  pathname: string,
  response: ServerResponse,
  config: () => unknown,
  /** The pages' security headers; the sandbox's name its S3 front too (uploads, downloads). */
  securityHeaders: Record<string, string> = siteSecurityHeaders,
): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (pathname === '/config.json') {
    response.writeHead(200, {
      'content-type': contentTypes['.json']!,
      'cache-control': 'no-store',
      ...securityHeaders,
    });
    response.end(method === 'HEAD' ? undefined : JSON.stringify(config()));
    return true;
  }
  const file = siteFileFor(pathname);
  const isPage = file !== pathname || pathname === '/openapi.json';
  if (!isPage && !pathname.startsWith('/assets/')) return false;
  const resolved = path.resolve(siteDir, `.${file}`);
  if (
    !resolved.startsWith(`${siteDir}${path.sep}`) ||
    !existsSync(resolved) ||
    !statSync(resolved).isFile()
  ) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders });
    response.end(
      existsSync(siteDir)
        ? 'Not found'
        : 'The pages are not built: run `npm run build:web` (npm start does it)',
    );
    return true;
  }
  response.writeHead(200, {
    'content-type': contentTypes[path.extname(resolved)] ?? 'application/octet-stream',
    'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...securityHeaders,
  });
  response.end(method === 'HEAD' ? undefined : readFileSync(resolved));
  return true;
}
