// Attachments end to end against the emulators: the route's presigned POST, the upload to the sandbox's
// S3 (which holds it to the policy), the S3 notification the sandbox's front sends, the consumer that
// checks the stored file, and both case views listing it.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetSystemClock, shiftSystemClock } from '#adapters/clock';
import { dependencies } from '#adapters/dependencies';
import { attachmentLimits } from '#domain/attachments';
import { handler as addAttachment } from '#functions/http/add-attachment';
import { handler as getAgentCase } from '#functions/http/get-agent-case';
import { handler as getCustomerCase } from '#functions/http/get-customer-case';
import { handler as attachmentUploadConsumer } from '#functions/queue/attachment-upload-consumer';
import { deleteCaseAttachments, storeEmailAttachment } from '#use-cases/attachments';
import type { UploadForm } from '#use-cases/ports';
import { s3EventNotification } from '../../infra/sandbox/s3-front.ts';
import { agent, anOpenCaseViaApi, auditor, callRoute, type SubmittedCase } from '../support/case-routes.ts';
import {
  createIntegrationEnvironment,
  drainQueue,
  type IntegrationEnvironment,
} from '../support/integration-environment.ts';

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(482_109, 9)]);
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_000, 32)]);

let env: IntegrationEnvironment;

beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

const declare = (submitted: SubmittedCase, body: unknown) =>
  callRoute(addAttachment, 'POST /cases/{caseId}/attachments', {
    caseId: submitted.caseId,
    headers: { 'X-Case-Token': submitted.accessToken },
    body,
  });

async function upload(form: UploadForm, file: Buffer): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([file]), 'upload.bin');
  return fetch(form.url, { method: 'POST', body });
}

/** What the sandbox's S3 front sends for an upload: the same event, onto this file's queue. */
async function announce(form: UploadForm, size: number): Promise<void> {
  const bucket = new URL(form.url).pathname.split('/')[1]!;
  await env.sqs.send(
    new SendMessageCommand({
      QueueUrl: env.queues.attachmentUploads.url,
      MessageBody: s3EventNotification(
        { bucket, key: form.fields.key!, size, eventName: 'ObjectCreated:Post' },
        'us-east-1',
        new Date(),
      ),
    }),
  );
  await drainQueue(env, 'attachmentUploads', attachmentUploadConsumer);
}

const customerView = (submitted: SubmittedCase) =>
  callRoute(getCustomerCase, 'GET /cases/{caseId}', {
    caseId: submitted.caseId,
    headers: { 'X-Case-Token': submitted.accessToken },
  });

describe('POST /cases/{caseId}/attachments', () => {
  it('a JPEG uploaded with the presigned POST is listed in both views with its size; staff get a download link, auditors none', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const declared = await declare(submitted, {
      fileName: '破损照片.jpg',
      contentType: 'image/jpeg',
      size: jpeg.length,
    });
    expect(declared.status).toBe(201);
    const { attachmentId, upload: form, expiresAt } = declared.body;
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // The key is ours: the case and the attachment id, never the customer's file name.
    expect(form.fields.key).toBe(`cases/${submitted.caseId}/${attachmentId}`);
    expect((await customerView(submitted)).body.attachments).toEqual([]);

    expect((await upload(form, jpeg)).status).toBe(204);
    await announce(form, jpeg.length);

    const listed = { attachmentId, fileName: '破损照片.jpg', contentType: 'image/jpeg', size: jpeg.length };
    const customer = await customerView(submitted);
    expect(customer.body.attachments).toEqual([{ ...listed, uploadedAt: expect.any(String) }]);
    expect(customer.body.timeline.map((entry: { kind: string }) => entry.kind)).toContain('attachment_added');

    const staff = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', {
      caseId: submitted.caseId,
      claims: agent,
    });
    expect(staff.status).toBe(200);
    expect(staff.body.attachments).toEqual([
      { ...listed, uploadedAt: expect.any(String), url: expect.any(String) },
    ]);
    const download = await fetch(staff.body.attachments[0].url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(jpeg)).toBe(true);

    const audited = await callRoute(getAgentCase, 'GET /agent/cases/{caseId}', {
      caseId: submitted.caseId,
      claims: auditor,
    });
    expect(audited.body.attachments).toEqual([{ ...listed, uploadedAt: expect.any(String) }]);
  });

  it('refuses a .exe with 415 and an 11 MiB declaration with 413, in API.md’s error shape', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const exe = await declare(submitted, {
      fileName: 'setup.exe',
      contentType: 'application/x-msdownload',
      size: 1000,
    });
    expect(exe.status).toBe(415);
    expect(exe.body.error).toMatchObject({
      code: 'unsupported_media_type',
      details: [{ path: 'contentType' }],
    });
    const disguised = await declare(submitted, {
      fileName: 'photo.exe',
      contentType: 'image/jpeg',
      size: 1000,
    });
    expect(disguised.status).toBe(415);
    const big = await declare(submitted, {
      fileName: 'big.jpg',
      contentType: 'image/jpeg',
      size: 11 * 1024 * 1024,
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', details: [{ path: 'size' }] });
  });

  it('S3 refuses a file larger than declared (an 11 MiB file on a 10 MiB declaration): nothing is listed', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const declared = await declare(submitted, {
      fileName: 'scan.jpg',
      contentType: 'image/jpeg',
      size: attachmentLimits.maxBytes,
    });
    const answer = await upload(declared.body.upload, Buffer.alloc(11 * 1024 * 1024, 1));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('EntityTooLarge');
    expect((await customerView(submitted)).body.attachments).toEqual([]);
  });

  it('rejects a stored file whose bytes are not the declared type, and deletes it', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const declared = await declare(submitted, {
      fileName: 'photo.jpg',
      contentType: 'image/jpeg',
      size: pdf.length,
    });
    expect((await upload(declared.body.upload, pdf)).status).toBe(204);
    await announce(declared.body.upload, pdf.length);
    expect((await customerView(submitted)).body.attachments).toEqual([]);
    const deps = await dependencies();
    const record = await deps.attachments.get(submitted.caseId, declared.body.attachmentId);
    expect(record).toMatchObject({ state: 'rejected', rejectedReason: 'The file is not image/jpeg' });
    expect(await deps.attachmentFiles.inspect(declared.body.upload.fields.key)).toBeNull();
  });

  it('refuses the 11th attachment of a case with 409, however the ten arrived, until abandoned ones expire', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const declarations = await Promise.all(
      Array.from({ length: 11 }, (_, n) =>
        declare(submitted, { fileName: `p${n}.png`, contentType: 'image/png', size: 100 }),
      ),
    );
    const statuses = declarations.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), 409]);
    const refused = declarations.find((answer) => answer.status === 409);
    expect(refused?.body.error).toMatchObject({
      code: 'conflict',
      message: 'A case holds at most 10 attachments',
    });

    // None of the ten was uploaded: once their upload forms have long expired, they give their slots back.
    shiftSystemClock(21 * 60_000);
    try {
      const later = await declare(submitted, { fileName: 'again.png', contentType: 'image/png', size: 100 });
      expect(later.status).toBe(201);
    } finally {
      resetSystemClock();
    }
  });
});

describe('attachments of emails, and deletion with the case', () => {
  it('stores an email’s PDF like an upload and lists it; a Word file is not stored', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const deps = await dependencies();
    const stored = await storeEmailAttachment(
      { caseId: submitted.caseId, fileName: '收据.pdf', contentType: 'application/pdf', bytes: pdf },
      deps,
    );
    expect(stored).toMatchObject({ stored: true });
    const word = await storeEmailAttachment(
      { caseId: submitted.caseId, fileName: 'letter.docx', contentType: 'application/msword', bytes: pdf },
      deps,
    );
    expect(word).toMatchObject({ stored: false, reason: 'not_accepted' });
    expect((await customerView(submitted)).body.attachments).toEqual([
      expect.objectContaining({ fileName: '收据.pdf', contentType: 'application/pdf', size: pdf.length }),
    ]);
  });

  it('deleteCaseAttachments removes every file and item of the case', async () => {
    const submitted = await anOpenCaseViaApi(env);
    const deps = await dependencies();
    for (const name of ['a.pdf', 'b.pdf']) {
      await storeEmailAttachment(
        { caseId: submitted.caseId, fileName: name, contentType: 'application/pdf', bytes: pdf },
        deps,
      );
    }
    expect(await deleteCaseAttachments(submitted.caseId, deps)).toEqual({ files: 2, attachments: 2 });
    expect(await deps.attachments.list(submitted.caseId)).toEqual([]);
    expect((await customerView(submitted)).body.attachments).toEqual([]);
  });
});
