// What S3 checks of a browser upload (POST Object) before it stores anything, which fauxqs does not: the
// policy's SigV4 signature, its expiration, and every condition (exact key and Content-Type,
// content-length-range, starts-with), and that no form field goes unmentioned by the policy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import { createHmac, timingSafeEqual } from 'node:crypto';

/** An S3 error as S3 sends it: status, code and message (the front writes the XML). */
export interface S3Refusal {
  status: number;
  code: string;
  message: string;
}

export interface PostForm {
  /** The form fields before the file, by the name the browser sent. */
  fields: Record<string, string>;
  /** The file's size in bytes. */
  fileSize: number;
}

/** Fields S3 never asks the policy to mention. */
const exempt = new Set(['policy', 'x-amz-signature', 'file', 'awsaccesskeyid', 'signature']);

function signingKey(secret: string, date: string, region: string): Buffer {
  const step = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  return step(step(step(step(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
}

const denied = (message: string): S3Refusal => ({ status: 403, code: 'AccessDenied', message });
const policyFailed = (condition: unknown) =>
  denied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);

/**
 * Null when S3 would accept the upload, else S3's refusal. `secretOf` gives the secret key of an access
 * key id (the sandbox's dummy credentials), `bucket` is the one named in the URL.
 */
export function checkPostPolicy(
  form: PostForm,
  context: { bucket: string; now: Date; secretOf: (accessKeyId: string) => string | undefined },
): S3Refusal | null {
  const fields = new Map(Object.entries(form.fields).map(([name, value]) => [name.toLowerCase(), value]));
  const policyText = fields.get('policy');
  if (!policyText) return denied('Bucket POST must contain a policy: anonymous uploads are not allowed');

  const credential = fields.get('x-amz-credential') ?? '';
  const [accessKeyId, date, region, service, terminal] = credential.split('/');
  const secret = accessKeyId ? context.secretOf(accessKeyId) : undefined;
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || !date || !region || service !== 's3') {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: 'The policy must be signed with AWS4-HMAC-SHA256',
    };
  }
  if (!secret || terminal !== 'aws4_request') {
    return denied('The AWS Access Key Id you provided does not exist in our records.');
  }
  const expected = createHmac('sha256', signingKey(secret, date, region))
    .update(policyText)
    .digest();
  const given = Buffer.from(fields.get('x-amz-signature') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return denied('The request signature we calculated does not match the signature you provided.');
  }

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  const expiration = Date.parse(String(policy.expiration));
  if (!Number.isFinite(expiration) || !Array.isArray(policy.conditions)) {
    return {
      status: 400,
      code: 'InvalidPolicyDocument',
      message: 'Invalid Policy: expiration and conditions',
    };
  }
  if (expiration < context.now.getTime()) return denied('Invalid according to Policy: Policy expired.');

  const fieldValue = (name: string) => (name === 'bucket' ? context.bucket : fields.get(name));
  const mentioned = new Set<string>();
  for (const condition of policy.conditions as unknown[]) {
    if (Array.isArray(condition) && condition[0] === 'content-length-range') {
      const [, min, max] = condition as [string, number, number];
      if (form.fileSize > max) {
        return {
          status: 400,
          code: 'EntityTooLarge',
          message: `Your proposed upload exceeds the maximum allowed size (${form.fileSize} > ${max} bytes)`,
        };
      }
      if (form.fileSize < min) {
        return {
          status: 400,
          code: 'EntityTooSmall',
          message: `Your proposed upload is smaller than the minimum allowed size (${form.fileSize} < ${min} bytes)`,
        };
      }
      continue;
    }
    const [operator, name, wanted] = conditionParts(condition);
    mentioned.add(name);
    const value = fieldValue(name) ?? '';
    const holds =
      operator === 'eq' ? value === wanted : operator === 'starts-with' && value.startsWith(wanted);
    if (!holds) return policyFailed(condition);
  }
  for (const name of fields.keys()) {
    if (exempt.has(name) || name.startsWith('x-ignore-') || mentioned.has(name)) continue;
    return denied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return null;
}

/** `{ "key": "a" }` or `["eq", "$key", "a"]` → ['eq', 'key', 'a']: operator, field (lower case), value. */
function conditionParts(condition: unknown): [string, string, string] {
  if (Array.isArray(condition)) {
    const [operator, field, value] = condition.map(String);
    return [String(operator).toLowerCase(), String(field).replace(/^\$/, '').toLowerCase(), String(value)];
  }
  const [field, value] =
    condition && typeof condition === 'object' ? (Object.entries(condition)[0] ?? []) : [];
  return ['eq', String(field ?? '').toLowerCase(), String(value ?? '')];
}

/** S3's error document. */
export function s3ErrorXml(refusal: S3Refusal, requestId: string): string {
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escaped(refusal.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
}
