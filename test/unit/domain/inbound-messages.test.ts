import { describe, expect, it } from 'vitest';
import {
  caseIdsIn,
  type InboundEmail,
  ignoredEmailReason,
  inboundCaseType,
  isOptOut,
  parseReplyAddress,
  replyAddressFor,
  sameTag,
  stripQuotedReply,
  subjectFor,
} from '#domain/inbound-messages';

function aMail(overrides: Partial<InboundEmail> = {}): InboundEmail {
  return {
    from: { address: 'zhangsan@example.com' },
    recipients: ['care@inbound.example.com'],
    subject: '包裹破损',
    text: '外包装破损了',
    headers: {},
    ...overrides,
  };
}

describe('loop guards', () => {
  it('let an ordinary message through, and Auto-Submitted: no', () => {
    expect(ignoredEmailReason(aMail())).toBeNull();
    expect(ignoredEmailReason(aMail({ headers: { 'auto-submitted': 'no' } }))).toBeNull();
  });

  it('never answer auto-replies: Auto-Submitted other than no, X-Autoreply', () => {
    expect(ignoredEmailReason(aMail({ headers: { 'auto-submitted': 'auto-replied' } }))).toBe('auto_reply');
    expect(ignoredEmailReason(aMail({ headers: { 'auto-submitted': 'auto-generated' } }))).toBe('auto_reply');
    expect(ignoredEmailReason(aMail({ headers: { 'x-autoreply': 'yes' } }))).toBe('auto_reply');
  });

  it('never answer bulk, junk, list or auto_reply precedence', () => {
    for (const precedence of ['bulk', 'junk', 'list', 'auto_reply', 'Bulk']) {
      expect(ignoredEmailReason(aMail({ headers: { precedence } }))).toBe('bulk');
    }
    expect(ignoredEmailReason(aMail({ headers: { precedence: 'first-class' } }))).toBeNull();
  });

  it('never answer bounces: MAILER-DAEMON, postmaster, multipart/report, an empty Return-Path', () => {
    expect(ignoredEmailReason(aMail({ from: { address: 'MAILER-DAEMON@mx.example.com' } }))).toBe('bounce');
    expect(ignoredEmailReason(aMail({ from: { address: 'postmaster@example.com' } }))).toBe('bounce');
    expect(ignoredEmailReason(aMail({ contentType: 'multipart/report' }))).toBe('bounce');
    expect(ignoredEmailReason(aMail({ headers: { 'return-path': '<>' } }))).toBe('bounce');
  });

  it("respect SES's verdicts: a failed spam or virus verdict opens nothing; none (the sandbox) passes", () => {
    expect(ignoredEmailReason(aMail({ verdicts: { spam: 'FAIL', virus: 'PASS' } }))).toBe('spam');
    expect(ignoredEmailReason(aMail({ verdicts: { spam: 'PASS', virus: 'FAIL' } }))).toBe('virus');
    expect(ignoredEmailReason(aMail({ verdicts: { spam: 'GRAY', virus: 'PASS' } }))).toBeNull();
    expect(ignoredEmailReason(aMail({ verdicts: {} }))).toBeNull();
  });
});

describe('quoted replies', () => {
  it('cut at "On … wrote:", also when the client wraps it onto two lines', () => {
    expect(
      stripQuotedReply('Thanks, got it.\n\nOn Mon, 30 Nov 2026 at 09:00, Care <c@x.com> wrote:\n> old'),
    ).toBe('Thanks, got it.');
    expect(
      stripQuotedReply('Thanks.\nOn Mon, 30 Nov 2026 at 09:00, Parcel Care\n<care@x.com> wrote:\n> old'),
    ).toBe('Thanks.');
  });

  it("cut at the Chinese clients' forms: 在 … 写道：, -----原始邮件-----, 发件人：", () => {
    expect(stripQuotedReply('好的\n在 2026年11月30日 09:00，客服 写道：\n> 原文')).toBe('好的');
    expect(stripQuotedReply('收到\n\n-----原始邮件-----\n发件人：客服\n主题：工单')).toBe('收到');
    expect(stripQuotedReply('收到\n------------------ 原始邮件 ------------------\n发件人: "客服"')).toBe(
      '收到',
    );
    expect(stripQuotedReply('谢谢\n\n发件人：care@x.com\n发送时间：2026年11月30日')).toBe('谢谢');
    expect(stripQuotedReply('Sure\n-----Original Message-----\nFrom: care')).toBe('Sure');
  });

  it('drop > quoted lines and keep the rest of the new text', () => {
    expect(stripQuotedReply('> quoted\nline one\n\nline two\n> more')).toBe('line one\n\nline two');
    expect(stripQuotedReply('> only a quote')).toBe('');
  });
});

describe('the signed reply address', () => {
  const service = 'care@inbound.example.com';

  it('carries the case number and tag under the service address, and reads back in any case', () => {
    const address = replyAddressFor(service, 'CS2611300001AB', '0123456789abcdef');
    expect(address).toBe('care+cs2611300001ab.0123456789abcdef@inbound.example.com');
    expect(parseReplyAddress(service, address.toUpperCase())).toEqual({
      caseId: 'CS2611300001AB',
      tag: '0123456789abcdef',
    });
  });

  it('is not one under another domain or another local part, nor the bare service address', () => {
    expect(parseReplyAddress(service, 'care+cs2611300001ab.0123456789abcdef@evil.example.com')).toBeNull();
    expect(
      parseReplyAddress(service, 'sales+cs2611300001ab.0123456789abcdef@inbound.example.com'),
    ).toBeNull();
    expect(parseReplyAddress(service, service)).toBeNull();
  });

  it('compares tags whole, whatever their case', () => {
    expect(sameTag('0123456789ABCDEF', '0123456789abcdef')).toBe(true);
    expect(sameTag('0123456789abcdee', '0123456789abcdef')).toBe(false);
    expect(sameTag('0123456789abcde', '0123456789abcdef')).toBe(false);
  });

  it('finds case numbers in a reply subject', () => {
    expect(caseIdsIn('Re: 【顺丰客服】已受理（工单号：CS2611300001AB）')).toEqual(['CS2611300001AB']);
    expect(caseIdsIn('Re: hello')).toEqual([]);
  });
});

describe('what a message that opens a case is', () => {
  it('a complaint when it names a waybill and reads as one, an inquiry otherwise', () => {
    expect(inboundCaseType('投诉', '快递 SF1234567890123 的快递员态度恶劣')).toBe('complaint');
    expect(inboundCaseType('运费', '从上海寄到北京运费多少？')).toBe('inquiry');
  });

  it('takes its subject from the mail without Re:, or from the first line', () => {
    expect(subjectFor('Re: 回复：包裹破损', '', 'zh-CN')).toBe('包裹破损');
    expect(subjectFor('', '\n第一行\n第二行', 'zh-CN')).toBe('第一行');
    expect(subjectFor('', '', 'en')).toBe('(no subject)');
  });

  it('reads STOP, 退订 and TD as opt-outs, trimmed and in any case', () => {
    for (const word of ['STOP', ' stop ', '退订', 'td', 'TD\n']) expect(isOptOut(word)).toBe(true);
    expect(isOptOut('stop sending the parcel back')).toBe(false);
  });
});
