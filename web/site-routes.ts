// Which page answers which path (API.md, "Pages"). The sandbox's static handler and the CloudFront
// function of the deployed site both read this table, so the two serve the same paths.

export const sitePages: ReadonlyArray<{ pattern: string; file: string }> = [
  { pattern: '^/$', file: '/index.html' },
  { pattern: '^/case/CS[0-9]{10,13}[A-Z]{2}/?$', file: '/case.html' },
  { pattern: '^/workspace(/.*)?$', file: '/workspace.html' },
  { pattern: '^/docs/?$', file: '/docs.html' },
];

/** Security headers of every page: the sandbox sends them, CloudFront's response headers policy in AWS. */
export const siteSecurityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** The file a path is served from: a page for a page path, else the path itself (assets). */
export function siteFileFor(pathname: string): string {
  for (const page of sitePages) if (new RegExp(page.pattern).test(pathname)) return page.file;
  return pathname;
}

/** The same rule as a CloudFront Functions (JavaScript 2.0) viewer-request handler. */
export function cloudFrontRewriteCode(): string {
  return `var pages = ${JSON.stringify(sitePages)};
function handler(event) {
  var request = event.request;
  for (var i = 0; i < pages.length; i++) {
    if (new RegExp(pages[i].pattern).test(request.uri)) { request.uri = pages[i].file; break; }
  }
  return request;
}`;
}

/**
 * The security headers with more origins the pages may send requests to and show images from: the
 * attachments bucket, which the customer's browser uploads into and staff download (thumbnails) from.
 */
export function siteSecurityHeadersWith(origins: readonly string[]): Record<string, string> {
  if (origins.length === 0) return siteSecurityHeaders;
  const list = origins.join(' ');
  return {
    ...siteSecurityHeaders,
    'content-security-policy': siteSecurityHeaders['content-security-policy']!.replace(
      "connect-src 'self'",
      `connect-src 'self' ${list}`,
    ).replace("img-src 'self' data:", `img-src 'self' data: ${list}`),
  };
}
