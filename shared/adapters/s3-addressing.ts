// How a bucket is addressed, one rule for the S3 client (wiring/object-store.ts) and for the links signed
// without it (attachment-links.ts), so a link points where the client would send the same request.

/**
 * The endpoint set for S3, as the SDK reads it from the environment: `AWS_ENDPOINT_URL_S3`, else
 * `AWS_ENDPOINT_URL`, none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true. Unset in AWS.
 */
export function configuredS3Endpoint(): string | undefined {
  if (/^true$/i.test(process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

/**
 * Path-style addressing when S3's own endpoint is set (the sandbox's S3 on 127.0.0.1): the bucket goes in
 * the path, not in a host name that would not resolve. In AWS, the default virtual-hosted style.
 */
export function s3ForcePathStyle(): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL_S3);
}
