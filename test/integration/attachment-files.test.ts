// The S3 adapter against the sandbox's S3 (fauxqs behind its front): a presigned POST stores the file,
// its size and first bytes read back, a presigned GET downloads it, and a case's files delete together.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#adapters/dependencies';
import type { AttachmentFiles, UploadForm } from '#use-cases/ports';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2_000, 7)]);

async function post(form: UploadForm, file: Buffer, contentType: string): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([file], { type: contentType }), 'photo.jpg');
  return fetch(form.url, { method: 'POST', body });
}

let files: AttachmentFiles;

beforeAll(async () => {
  await createIntegrationEnvironment();
  files = (await dependencies()).attachmentFiles;
});

describe('attachment files in S3', () => {
  it('stores an upload sent with the presigned POST, reads its size and first bytes, and serves it by GET URL', async () => {
    const key = `cases/C-${randomUUID()}/${randomUUID()}`;
    const form = await files.presignUpload({
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

    const url = await files.downloadUrl(key, {
      fileName: '破损照片.jpg',
      contentType: 'image/jpeg',
      expiresInSeconds: 60,
    });
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(jpeg)).toBe(true);
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
