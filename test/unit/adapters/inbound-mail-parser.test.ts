import { describe, expect, it } from 'vitest';
import { mailParserOptions, parseInboundEmail } from '#adapters/inbound-mail-parser';
import { stripQuotedReply } from '#domain/inbound-messages';
import {
  big5Inquiry,
  gb2312Inquiry,
  gb18030Inquiry,
  gbkComplaint,
  gbkReply,
  htmlReply,
  rawMail,
} from '../../fixtures/inbound-mail.ts';

const service = 'care@inbound.parcel-care.example';
const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('parsing inbound mail', () => {
  it('decodes a GBK message: encoded-word sender name and subject, base64 body', async () => {
    const mail = await parseInboundEmail(gbkComplaint());
    expect(mail.from).toEqual({ address: 'zhangsan@example.com', name: '张三' });
    expect(mail.subject).toBe('投诉：快递员态度恶劣');
    expect(mail.text).toContain('我的快递 SF1234567890123 派送时快递员态度恶劣');
    expect(mail.recipients).toEqual(['care@inbound.parcel-care.example']);
    expect(mail.messageId).toMatch(/@mail\.example\.com>$/);
  });

  it('decodes Big5 and GB2312', async () => {
    const big5 = await parseInboundEmail(big5Inquiry());
    expect(big5.subject).toBe('查詢運費');
    expect(big5.text.trim()).toBe('請問從台北寄到上海的運費是多少？');
    const gb2312 = await parseInboundEmail(gb2312Inquiry());
    expect(gb2312.text.trim()).toBe('包裹已经三天没有更新物流信息了。');
  });

  it('keeps only the new text of a GBK reply quoted under 在 … 写道：', async () => {
    const mail = await parseInboundEmail(gbkReply());
    expect(mail.text).toContain('写道');
    expect(stripQuotedReply(mail.text)).toBe('已经收到包裹了，但外包装破损。');
  });

  it('turns an HTML-only message into text, and its Gmail quote is stripped', async () => {
    const mail = await parseInboundEmail(htmlReply());
    expect(mail.text).not.toMatch(/<(div|p|b|blockquote)\b/);
    expect(stripQuotedReply(mail.text)).toBe('The parcel arrived & the box is damaged.');
  });

  it('reads the headers the loop guards need, and marks a delivery report', async () => {
    const auto = await parseInboundEmail(
      rawMail({ headers: { 'Auto-Submitted': 'auto-replied', Precedence: 'bulk' } }, 'text/plain', 'aGk='),
    );
    expect(auto.headers['auto-submitted']).toBe('auto-replied');
    expect(auto.headers.precedence).toBe('bulk');
    const report = await parseInboundEmail(
      [
        'From: MAILER-DAEMON@example.com',
        'To: care@inbound.parcel-care.example',
        'Subject: Undelivered Mail Returned to Sender',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Delivery failed.',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(report.contentType).toBe('multipart/report');
  });
  it('decodes GB18030, its four-byte characters included', async () => {
    const mail = await parseInboundEmail(gb18030Inquiry());
    expect(mail.subject).toBe('签收争议');
    expect(mail.text.trim()).toBe('快递已签收，但我没有收到。收件人：𠮷田。');
  });

  it('decodes a quoted-printable body and Q-encoded words, unfolds headers and keeps the first of each', async () => {
    const mail = await parseInboundEmail(
      crlf([
        'From: =?UTF-8?Q?Zo=C3=AB_Li?= <zoe@example.com>',
        `To: ${service}, "Team" <team@example.com>`,
        'Cc: undisclosed-recipients:;',
        'Subject: =?UTF-8?Q?=E5=8C=85=E8=A3=B9?=',
        '\t=?UTF-8?Q?=E7=A0=B4=E6=8D=9F?= (folded)',
        'Message-ID: 1234@mail.example.com',
        'X-Mailer: first',
        'X-Mailer: second',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Caf=C3=A9 au lait, a soft line=',
        ' break.',
      ]),
      { recipients: [service, 'other@inbound.parcel-care.example'] },
    );
    expect(mail.from).toEqual({ address: 'zoe@example.com', name: 'Zoë Li' });
    expect(mail.subject).toBe('包裹破损 (folded)');
    expect(mail.text).toBe('Café au lait, a soft line break.\n');
    expect(mail.messageId).toBe('<1234@mail.example.com>');
    expect(mail.recipients).toEqual([service, 'team@example.com', 'other@inbound.parcel-care.example']);
    expect(mail.headers.subject).toBe(
      '=?UTF-8?Q?=E5=8C=85=E8=A3=B9?= =?UTF-8?Q?=E7=A0=B4=E6=8D=9F?= (folded)',
    );
    expect(mail.headers['x-mailer']).toBe('first');
    expect(mail.contentType).toBe('text/plain');
  });

  it('hands over the files with their decoded size, not a picture inlined without a name', async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]);
    const mail = await parseInboundEmail(
      crlf([
        'From: ann@example.com',
        `To: ${service}`,
        'Content-Type: multipart/mixed; boundary="mixed"',
        '',
        '--mixed',
        'Content-Type: multipart/related; boundary="related"',
        '',
        '--related',
        'Content-Type: text/html; charset=UTF-8',
        '',
        '<p>The box, see <img src="cid:logo"> the photo.</p>',
        '--related',
        'Content-Type: image/png',
        'Content-Disposition: inline',
        'Content-ID: <logo>',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--related--',
        '--mixed',
        // Some clients label every file octet-stream: a name ending we accept gives the type.
        'Content-Type: application/octet-stream; name="box.JPG"',
        'Content-Disposition: attachment; filename="box.JPG"',
        'Content-Transfer-Encoding: base64',
        '',
        ...(photo.toString('base64').match(/.{1,76}/g) ?? []),
        '--mixed',
        'Content-Type: message/rfc822',
        '',
        'From: courier@example.com',
        'Subject: delivered',
        '',
        'Your parcel was delivered.',
        '--mixed--',
      ]),
    );
    // HTML in a multipart/mixed is the body too (mailparser left the text empty here).
    expect(mail.text).toBe('The box, see the photo.');
    expect(
      mail.attachments?.map(({ content, ...file }) => ({ ...file, bytes: Buffer.from(content) })),
    ).toEqual([
      { fileName: 'box.JPG', contentType: 'image/jpeg', size: photo.length, bytes: photo },
      // A forwarded message stays a file (refused later, as not a photo or PDF), its text is not the body.
      expect.objectContaining({ fileName: 'attachment', contentType: 'message/rfc822' }),
    ]);
  });

  it('refuses at once a message nested deeper, or with more header bytes, than its limits', async () => {
    let nested = 'From: a@example.com\r\n';
    for (let level = 0; level < 10_000; level += 1) {
      nested += `Content-Type: multipart/mixed; boundary=b${level}\r\n\r\n--b${level}\r\n`;
    }
    await expect(parseInboundEmail(`${nested}\r\nhi\r\n`)).rejects.toThrow(
      `nesting depth of ${mailParserOptions.maxNestingDepth} levels exceeded`,
    );
    const headers = 'X-Filler: 0123456789abcdef\r\n'.repeat(mailParserOptions.maxHeadersSize / 26);
    await expect(parseInboundEmail(`From: a@example.com\r\n${headers}\r\nhi\r\n`)).rejects.toThrow(
      'Maximum header size',
    );
  });
});
