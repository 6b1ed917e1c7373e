import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from '#adapters/inbound-mail-parser';
import { stripQuotedReply } from '#domain/inbound-messages';
import {
  big5Inquiry,
  gb2312Inquiry,
  gbkComplaint,
  gbkReply,
  htmlReply,
  rawMail,
} from '../../fixtures/inbound-mail.ts';

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
});
