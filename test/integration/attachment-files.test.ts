// The S3 adapters against the sandbox's S3 (fauxqs behind its front): a POST signed without the S3 client
// (attachment-links.ts) stores the file, its size and first bytes read back, a GET signed the same way
// downloads it, and a case's files delete together.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import type { AttachmentFiles, AttachmentLinks, UploadForm } from '#use-cases/ports';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2_000, 7)]);

async function post(form: UploadForm, file: Buffer, contentType: string): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([file], { type: contentType }), 'photo.jpg');
  return fetch(form.url, { method: 'POST', body });
}

let files: AttachmentFiles;
let links: AttachmentLinks;

beforeAll(async () => {
  await createIntegrationEnvironment();
  ({ attachmentFiles: files, attachmentLinks: links } = await dependencies());
});

describe('attachment files in S3', () => {
  it('stores an upload sent with the presigned POST, reads its size and first bytes, and serves it by GET URL', async () => {
    const key = `cases/C-${randomUUID()}/${randomUUID()}`;
    const form = await links.presignUpload({
      key,
      contentType: 'image/jpeg',
      maxBytes: 10 * 1024 * 1024,
      expiresInSeconds: 300,
    });
    expect(form.fields.key).toBe(key);
    const answer = await post(form, jpeg, 'image/jpeg');
    expect(answer.status).toBe(204);

    const stored = await files.inspect(key);
    expect(stored).toMatchObject({ size: jpeg.length, contentType: 'image/jpeg' });
    expect([...(stored?.firstBytes ?? []).slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    const url = await links.downloadUrl(key, {
      fileName: '破损照片.jpg',
      contentType: 'image/jpeg',
      expiresInSeconds: 60,
    });
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  describe('the presigned POST policy, checked by the sandbox S3 as by S3', () => {
    const presign = (key: string) =>
      links.presignUpload({
        key,
        contentType: 'image/jpeg',
        maxBytes: 10 * 1024 * 1024,
        expiresInSeconds: 300,
      });
    const refusedWith = async (answer: Response, status: number, code: string) => {
      expect(answer.status).toBe(status);
      expect(await answer.text()).toContain(`<Code>${code}</Code>`);
    };

    it('refuses a file of 11 MiB, above the content-length-range, and stores nothing', async () => {
      const key = `cases/C-${randomUUID()}/big`;
      const answer = await post(await presign(key), Buffer.alloc(11 * 1024 * 1024, 1), 'image/jpeg');
      await refusedWith(answer, 400, 'EntityTooLarge');
      expect(await files.inspect(key)).toBeNull();
    });

    it('refuses a Content-Type other than the signed one, a key other than the signed one, and an unsigned field', async () => {
      const key = `cases/C-${randomUUID()}/one`;
      const form = await presign(key);
      const exe = { ...form, fields: { ...form.fields, 'Content-Type': 'application/x-msdownload' } };
      await refusedWith(await post(exe, jpeg, 'application/x-msdownload'), 403, 'AccessDenied');
      const elsewhere = { ...form, fields: { ...form.fields, key: `${key}-other` } };
      await refusedWith(await post(elsewhere, jpeg, 'image/jpeg'), 403, 'AccessDenied');
      const extra = { ...form, fields: { ...form.fields, 'x-amz-meta-owner': 'me' } };
      await refusedWith(await post(extra, jpeg, 'image/jpeg'), 403, 'AccessDenied');
      expect(await files.inspect(key)).toBeNull();
      expect(await files.inspect(`${key}-other`)).toBeNull();
    });

    it('refuses a policy changed after signing, and one past its expiration', async () => {
      const key = `cases/C-${randomUUID()}/two`;
      const form = await presign(key);
      const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8'));
      policy.conditions = policy.conditions.map((condition: unknown) =>
        Array.isArray(condition) && condition[0] === 'content-length-range'
          ? [condition[0], 1, 1e9]
          : condition,
      );
      const forged = {
        ...form,
        fields: { ...form.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') },
      };
      await refusedWith(await post(forged, jpeg, 'image/jpeg'), 403, 'AccessDenied');

      const expired = await links.presignUpload({
        key,
        contentType: 'image/jpeg',
        maxBytes: 100_000,
        expiresInSeconds: 1,
      });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const late = await post(expired, jpeg, 'image/jpeg');
      expect(late.status).toBe(403);
      expect(await late.text()).toContain('Policy expired');
      expect(await files.inspect(key)).toBeNull();
    });
  });

  it('finds no file where none was uploaded', async () => {
    expect(await files.inspect(`cases/C-${randomUUID()}/missing`)).toBeNull();
  });

  it('deletes every file of one case and leaves the others', async () => {
    const caseA = `cases/C-${randomUUID()}/`;
    const caseB = `cases/C-${randomUUID()}/`;
    await files.put(`${caseA}1`, 'application/pdf', Buffer.from('%PDF-1.7 a'));
    await files.put(`${caseA}2`, 'image/png', Buffer.from('png'));
    await files.put(`${caseB}1`, 'image/png', Buffer.from('png'));
    expect(await files.deleteAll(caseA)).toBe(2);
    expect(await files.inspect(`${caseA}1`)).toBeNull();
    expect(await files.inspect(`${caseB}1`)).not.toBeNull();
  });
});
