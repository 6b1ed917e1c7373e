import { describe, expect, it } from 'vitest';
import {
  type Attachment,
  acceptDeclaredFile,
  attachmentKey,
  checkUpload,
  parseAttachmentKey,
  sanitizeFileName,
  sniffContentType,
} from '#domain/attachments';
import { PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '#domain/errors';
import { createdKeysOf } from '#events/s3-events';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(
    parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)),
  );

describe('file names', () => {
  it('keeps a plain name, Chinese included', () => {
    expect(sanitizeFileName('破损照片.jpg')).toBe('破损照片.jpg');
  });

  it('drops paths, control and bidirectional characters, and leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\photo.png')).toBe('photo.png');
    expect(sanitizeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(sanitizeFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(sanitizeFileName('...hidden.pdf')).toBe('hidden.pdf');
    expect(sanitizeFileName('   ')).toBe('attachment');
  });

  it('bounds a long name and keeps its extension', () => {
    const long = sanitizeFileName(`${'长'.repeat(300)}.jpeg`);
    expect([...long]).toHaveLength(120);
    expect(long.endsWith('.jpeg')).toBe(true);
  });
});

describe('declared files', () => {
  it('accepts images and PDF up to 10 MiB', () => {
    for (const [fileName, contentType] of [
      ['a.jpg', 'image/jpeg'],
      ['a.png', 'image/png'],
      ['a.webp', 'image/webp'],
      ['a.heic', 'image/heic'],
      ['a.gif', 'image/gif'],
      ['a.pdf', 'application/pdf'],
      ['no-extension', 'IMAGE/JPEG'],
    ]) {
      expect(
        acceptDeclaredFile({ fileName: fileName!, contentType: contentType!, size: 10 * 1024 * 1024 }),
      ).toMatchObject({
        contentType: contentType!.toLowerCase(),
      });
    }
  });

  it('refuses other types (415), a name ending that is another type (415), more than 10 MiB (413), no bytes (400)', () => {
    const attempt = (fileName: string, contentType: string, size: number) => () =>
      acceptDeclaredFile({ fileName, contentType, size });
    expect(attempt('setup.exe', 'application/x-msdownload', 10)).toThrow(UnsupportedMediaType);
    expect(attempt('image.svg', 'image/svg+xml', 10)).toThrow(UnsupportedMediaType);
    expect(attempt('photo.exe', 'image/jpeg', 10)).toThrow(UnsupportedMediaType);
    expect(attempt('photo.jpg', 'image/jpeg', 10 * 1024 * 1024 + 1)).toThrow(PayloadTooLarge);
    expect(attempt('photo.jpg', 'image/jpeg', 0)).toThrow(ValidationFailed);
  });
});

describe('the bytes of a stored file', () => {
  it('tell its type by the magic number', () => {
    expect(sniffContentType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffContentType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffContentType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffContentType(bytes('GIF89a'))).toBe('image/gif');
    expect(sniffContentType(bytes('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffContentType(bytes([0, 0, 0, 24], 'ftypheic'))).toBe('image/heic');
    expect(sniffContentType(bytes('MZ', [0x90, 0]))).toBeNull();
  });

  const pending: Attachment = {
    attachmentId: 'a1',
    caseId: 'C-1',
    fileName: 'photo.jpg',
    contentType: 'image/jpeg',
    size: 100,
    state: 'pending',
    source: 'customer',
    createdAt: '2026-11-30T00:00:00.000Z',
  };

  it('make an upload uploaded with its real size, or rejected when they are another type or too large', () => {
    expect(checkUpload(pending, { size: 120, firstBytes: bytes([0xff, 0xd8, 0xff]) })).toEqual({
      state: 'uploaded',
      size: 120,
    });
    expect(checkUpload(pending, { size: 120, firstBytes: bytes('MZ') })).toMatchObject({ state: 'rejected' });
    expect(
      checkUpload(pending, { size: 11 * 1024 * 1024, firstBytes: bytes([0xff, 0xd8, 0xff]) }),
    ).toMatchObject({
      state: 'rejected',
    });
  });
});

describe('storage keys and S3 notifications', () => {
  it('name the case and the attachment, and read back; other keys are not attachments', () => {
    expect(attachmentKey('C-20261130-0001-AB', 'f0e1')).toBe('cases/C-20261130-0001-AB/f0e1');
    expect(parseAttachmentKey('cases/C-20261130-0001-AB/f0e1')).toEqual({
      caseId: 'C-20261130-0001-AB',
      attachmentId: 'f0e1',
    });
    expect(parseAttachmentKey('cases/C-1/../x')).toBeNull();
    expect(parseAttachmentKey('inbound/raw.eml')).toBeNull();
  });

  it('read the created keys of an S3 event, decoded, and nothing of the test event', () => {
    const record = (eventName: string, key: string) => ({
      eventName,
      s3: { bucket: { name: 'b' }, object: { key } },
    });
    expect(
      createdKeysOf({
        Records: [record('ObjectCreated:Post', 'cases/C-1/a+b%2Bc'), record('ObjectRemoved:Delete', 'x')],
      }),
    ).toEqual(['cases/C-1/a b+c']);
    expect(createdKeysOf({ Service: 'Amazon S3', Event: 's3:TestEvent' })).toEqual([]);
  });
});
