import { describe, expect, it } from 'vitest';
import type { Locale } from '#domain/case-model';
import {
  customerNotificationKinds,
  formatBeijingTime,
  formatMoney,
  hasSmsTemplate,
  type NotificationData,
  type NotificationDataOf,
  type NotificationKind,
  notificationKinds,
  renderEmail,
  renderSms,
  smsLengthLimit,
  smsNotificationKinds,
  staffNotificationKinds,
} from '#domain/notification-templates';

const caseId = 'CS2611230001AB';
const existingCaseId = 'CS2611200007XY';
const caseLink = 'https://care.example.cn/c/tk_8fJ2';
const surveyLink = 'https://care.example.cn/s/tk_8fJ2';
const consoleLink = 'https://console.example.cn/cases/CS2611230001AB';
const locales: readonly Locale[] = ['zh-CN', 'en'];
const cjk = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

const copy = {
  'zh-CN': {
    subject: '快递员态度恶劣',
    message:
      '您好，我们已联系网点负责人，核实快递员确有不当言行，已责令其当面致歉，并将在明天上午为您重新派送。',
    plan: '您好，经核实包裹在中转过程中破损，我们将按保价规则为您办理赔偿，并补寄同款商品。',
    resolution: '您好，我们已联系网点负责人，对涉事快递员进行了批评教育，并扣罚当月服务绩效。',
    rule: '破损（内件）：按保价金额的30%赔偿',
    incident: '华北地区暴雪，北京转运中心暂停发运，恢复后优先派送。',
  },
  en: {
    subject: 'Courier was rude at the door',
    message:
      'Hello, we have contacted the branch manager, who confirmed the behaviour, and the courier will apologise in person.',
    plan: 'Hello, the parcel was damaged in transit. We will compensate you under the insured-value rule and resend the item.',
    resolution: 'Hello, we have spoken to the branch manager and the courier has been formally warned.',
    rule: 'Damaged contents: 30% of the declared value',
    incident: 'Snow has closed the Beijing hub; your parcel goes first once it reopens.',
  },
} as const;

function notificationFor<K extends NotificationKind>(
  kind: K,
  locale: Locale,
  overrides: Partial<NotificationDataOf<K>> = {},
): NotificationDataOf<K> {
  const text = copy[locale];
  const compensation = { amount: 54, currency: 'CNY', rule: text.rule };
  const byKind: { [P in NotificationKind]: NotificationDataOf<P> } = {
    acknowledgement: {
      kind: 'acknowledgement',
      caseId,
      caseType: 'complaint',
      category: 'service',
      caseLink,
      deadlines: {
        firstResponseDueAt: '2026-11-23T08:00:00.000Z',
        planDueAt: '2026-11-24T06:00:00.000Z',
        resolutionDueAt: '2026-11-30T06:00:00.000Z',
      },
    },
    reply: { kind: 'reply', caseId, message: text.message, caseLink },
    plan: { kind: 'plan', caseId, message: text.plan, compensation, caseLink },
    resolution: { kind: 'resolution', caseId, resolution: text.resolution, compensation, caseLink },
    survey: { kind: 'survey', caseId, surveyLink },
    duplicate_linked: { kind: 'duplicate_linked', caseId, existingCaseId, caseLink },
    incident_notice: {
      kind: 'incident_notice',
      caseId,
      incidentId: 'IN2611300830ABCD',
      trackingNumber: 'SF1234567890123',
      linkedCaseId: caseId,
      cause: 'weather',
      stage: 'declared',
      message: text.incident,
      expectedBy: '2026-12-02T10:00:00.000Z',
      caseLink,
    },
    at_risk_reminder: {
      kind: 'at_risk_reminder',
      caseId,
      clock: 'firstResponse',
      dueAt: '2026-11-23T08:00:00.000Z',
      subject: text.subject,
      caseLink: consoleLink,
    },
    breach_notice: {
      kind: 'breach_notice',
      caseId,
      clock: 'plan',
      dueAt: '2026-11-24T06:00:00.000Z',
      escalationLevel: 1,
      team: 'operations',
      subject: text.subject,
      caseLink: consoleLink,
    },
    erasure_confirmation: { kind: 'erasure_confirmation', caseId, erasedCases: 3 },
  };
  return { ...byKind[kind], ...overrides };
}

const everyKindInEveryLocale = notificationKinds.flatMap((kind) =>
  locales.map((locale) => [kind, locale] as const),
);
const smsKindsInEveryLocale = smsNotificationKinds.flatMap((kind) =>
  locales.map((locale) => [kind, locale] as const),
);

const expectedChinese: Record<NotificationKind, string[]> = {
  acknowledgement: [
    '【包裹客服】您的投诉已受理',
    '尊敬的客户，您好',
    '我们已收到您的投诉',
    '处理时限',
    '感谢您的耐心',
  ],
  reply: ['您的工单有新回复', '客服人员回复如下', copy['zh-CN'].message],
  plan: ['处理方案', copy['zh-CN'].plan, '拟赔偿金额'],
  resolution: ['您的工单已处理完毕', '处理结果如下', '申请复核', '感谢您的耐心与理解'],
  survey: ['邀请您评价本次服务', '感谢您的耐心等待', '立即评价'],
  duplicate_linked: ['已关联至工单 CS2611200007XY', '无需重复提交'],
  incident_notice: [
    '您的快递可能延误',
    '运单 SF1234567890123',
    '恶劣天气',
    copy['zh-CN'].incident,
    '预计送达',
  ],
  at_risk_reminder: ['工单即将超时', '首次响应时限将于 2026-11-23 16:00 (北京时间) 到期', '请尽快处理'],
  breach_notice: ['工单已超时升级', '处理方案时限已于', '已升级至主管处理', '运营组'],
  erasure_confirmation: ['您的个人信息已删除', '尊敬的客户，您好', '3 张工单', '最后一条消息'],
};

const expectedEnglish: Record<NotificationKind, string[]> = {
  acknowledgement: [
    '[Parcel Care] We have received your complaint',
    'Dear customer,',
    'Thank you for your patience',
  ],
  reply: ['New reply to your case', copy.en.message],
  plan: ['Proposed handling plan', copy.en.plan, 'Proposed compensation'],
  resolution: ['Your case has been resolved', 'request a review'],
  survey: ['How did we do?', 'Rate our service'],
  duplicate_linked: ['linked to case CS2611200007XY', 'no need to submit it again'],
  incident_notice: ['Your parcel may be delayed', 'severe weather', copy.en.incident, 'Expected by'],
  at_risk_reminder: ['At risk: first response deadline approaching', 'falls due at 2026-11-23 16:00'],
  breach_notice: ['missed its handling plan deadline', 'escalated to supervisor', 'Operations'],
  erasure_confirmation: ['Your personal data has been erased', 'Dear customer,', '3 case(s)', 'last message'],
};

/** Every non-void element that opens also closes, in order. */
function unbalancedTags(html: string): string[] {
  const voidElements = new Set(['meta', 'br', 'hr', 'img', 'link', 'input']);
  const open: string[] = [];
  const problems: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const tag = name!.toLowerCase();
    if (voidElements.has(tag)) continue;
    if (!closing) open.push(tag);
    else if (open.pop() !== tag) problems.push(`</${tag}>`);
  }
  return [...problems, ...open.map((tag) => `<${tag}> not closed`)];
}

describe('notification kinds', () => {
  it('splits every kind into customer-facing and staff-facing', () => {
    expect([...customerNotificationKinds, ...staffNotificationKinds].sort()).toEqual(
      [...notificationKinds].sort(),
    );
  });

  it('has SMS for customer-facing kinds only', () => {
    expect(notificationKinds.filter(hasSmsTemplate)).toEqual([...customerNotificationKinds]);
  });
});

describe('renderEmail', () => {
  it.each(everyKindInEveryLocale)(
    'puts the case number in the subject, text and HTML of %s (%s)',
    (kind, locale) => {
      const email = renderEmail(kind, locale, notificationFor(kind, locale));
      expect(email.subject).toContain(caseId);
      expect(email.text).toContain(caseId);
      expect(email.html).toContain(caseId);
    },
  );

  it.each(notificationKinds)('writes %s in polite Chinese for zh-CN', (kind) => {
    const email = renderEmail(kind, 'zh-CN', notificationFor(kind, 'zh-CN'));
    const whole = `${email.subject}\n${email.text}`;
    for (const phrase of expectedChinese[kind]) expect(whole).toContain(phrase);
  });

  it.each(notificationKinds)('writes %s in English with no Chinese characters for en', (kind) => {
    const email = renderEmail(kind, 'en', notificationFor(kind, 'en'));
    const whole = `${email.subject}\n${email.text}`;
    for (const phrase of expectedEnglish[kind]) expect(whole).toContain(phrase);
    expect(email.subject).not.toMatch(cjk);
    expect(email.text).not.toMatch(cjk);
    expect(email.html).not.toMatch(cjk);
  });

  it.each(everyKindInEveryLocale)('renders %s (%s) as a complete, balanced HTML document', (kind, locale) => {
    const { html, text } = renderEmail(kind, locale, notificationFor(kind, locale));
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html).toContain('<meta charset="utf-8">');
    expect(unbalancedTags(html)).toEqual([]);
    expect(text).not.toMatch(/<[a-z/!]/i);
  });

  it('uses the same subject in the subject line and the HTML title', () => {
    const email = renderEmail('reply', 'zh-CN', notificationFor('reply', 'zh-CN'));
    expect(email.subject).toBe('【包裹客服】您的工单有新回复（工单号：CS2611230001AB）');
    expect(email.html).toContain(`<title>${email.subject}</title>`);
  });

  it('shows every acknowledgement deadline in Beijing time, to the minute', () => {
    const zh = renderEmail('acknowledgement', 'zh-CN', notificationFor('acknowledgement', 'zh-CN'));
    expect(zh.text).toContain('首次答复：2026-11-23 16:00 (北京时间) 前');
    expect(zh.text).toContain('处理方案：2026-11-24 14:00 (北京时间) 前');
    expect(zh.text).toContain('处理结果：2026-11-30 14:00 (北京时间) 前');
    expect(zh.html).toContain('2026-11-23 16:00 (北京时间) 前');

    const en = renderEmail('acknowledgement', 'en', notificationFor('acknowledgement', 'en'));
    expect(en.text).toContain('First response: by 2026-11-23 16:00 (Beijing time, UTC+8)');
    expect(en.text).toContain('Handling plan: by 2026-11-24 14:00 (Beijing time, UTC+8)');
    expect(en.text).toContain('Resolution: by 2026-11-30 14:00 (Beijing time, UTC+8)');
  });

  it('moves a late-evening UTC deadline to the next Beijing day, and a new year', () => {
    expect(formatBeijingTime('2026-11-23T17:30:00.000Z', 'zh-CN')).toBe('2026-11-24 01:30 (北京时间)');
    expect(formatBeijingTime('2026-12-31T16:05:59.999Z', 'en')).toBe(
      '2027-01-01 00:05 (Beijing time, UTC+8)',
    );
    expect(formatBeijingTime('2026-11-23T16:00:00+08:00', 'zh-CN')).toBe('2026-11-23 16:00 (北京时间)');
  });

  it('refuses a deadline without an offset, which would be read in the server time zone', () => {
    expect(() => formatBeijingTime('2026-11-23T08:00:00', 'zh-CN')).toThrow(RangeError);
    expect(() => formatBeijingTime('下周一', 'zh-CN')).toThrow(RangeError);
  });

  it.each(['zh-CN', 'en'] as const)(
    'acknowledges in %s with no text the sender typed: case number, category in words, deadlines, link',
    (locale) => {
      const phishing = 'Your account is locked, log in at evil.example';
      const data = { ...notificationFor('acknowledgement', locale), recipientName: phishing };
      const email = renderEmail('acknowledgement', locale, data);
      const sms = renderSms('acknowledgement', locale, data);
      for (const part of [email.subject, email.html, email.text, sms]) expect(part).not.toContain('evil');
      expect(email.text).toContain(caseId);
      expect(email.text).toContain(locale === 'zh-CN' ? '问题类别：服务态度' : 'Category: service');
      expect(email.text).toContain(locale === 'zh-CN' ? '尊敬的客户，您好：' : 'Dear customer,');
      expect(email.text).toContain(caseLink);
    },
  );

  it('escapes agent text and keeps its line breaks', () => {
    const message = '您好，已为您申请退款 ¥12 & 补偿券。\n如有疑问请回复"查询"<b>谢谢</b>';
    const { html, text } = renderEmail('reply', 'zh-CN', notificationFor('reply', 'zh-CN', { message }));
    expect(html).toContain(
      '退款 ¥12 &amp; 补偿券。<br>如有疑问请回复&quot;查询&quot;&lt;b&gt;谢谢&lt;/b&gt;',
    );
    expect(unbalancedTags(html)).toEqual([]);
    expect(text).toContain(message);
  });

  it('escapes names and links too', () => {
    const email = renderEmail(
      'reply',
      'en',
      notificationFor('reply', 'en', {
        recipientName: 'Tom <img src=x onerror=alert(1)>',
        caseLink: 'https://care.example.cn/c/tk?a=1&b="2"',
      }),
    );
    expect(email.html).toContain('Dear Tom &lt;img src=x onerror=alert(1)&gt;,');
    expect(email.html).toContain('href="https://care.example.cn/c/tk?a=1&amp;b=&quot;2&quot;"');
    expect(email.html).not.toContain('<img');
  });

  it('refuses links that are not web links', () => {
    expect(() =>
      renderEmail('reply', 'en', notificationFor('reply', 'en', { caseLink: 'javascript:alert(1)' })),
    ).toThrow(RangeError);
    expect(() =>
      renderEmail('survey', 'zh-CN', notificationFor('survey', 'zh-CN', { surveyLink: 'data:text/html,hi' })),
    ).toThrow(RangeError);
  });

  it('shows compensation and the rule that produced it in a resolution', () => {
    const zh = renderEmail('resolution', 'zh-CN', notificationFor('resolution', 'zh-CN'));
    expect(zh.text).toContain('赔偿金额：¥54.00');
    expect(zh.text).toContain('计算依据：破损（内件）：按保价金额的30%赔偿');
    expect(zh.html).toContain('¥54.00');
    expect(zh.html).toContain('按保价金额的30%赔偿');

    const en = renderEmail('resolution', 'en', notificationFor('resolution', 'en'));
    expect(en.text).toContain('Compensation: 54.00 CNY');
    expect(en.text).toContain('How it was calculated: Damaged contents: 30% of the declared value');
  });

  it('shows the proposed compensation in a plan', () => {
    const zh = renderEmail('plan', 'zh-CN', notificationFor('plan', 'zh-CN'));
    expect(zh.text).toContain('拟赔偿金额：¥54.00');
    expect(zh.text).toContain('计算依据：破损（内件）');
  });

  it('says nothing about money when there is no compensation', () => {
    const zh = renderEmail(
      'resolution',
      'zh-CN',
      notificationFor('resolution', 'zh-CN', { compensation: undefined }),
    );
    expect(zh.text).not.toContain('赔偿金额');
    const en = renderEmail('plan', 'en', notificationFor('plan', 'en', { compensation: undefined }));
    expect(en.text).not.toContain('compensation');
  });

  it('greets the customer by name when known', () => {
    expect(
      renderEmail('reply', 'zh-CN', notificationFor('reply', 'zh-CN', { recipientName: '王女士' })).text,
    ).toContain('尊敬的王女士，您好：');
    expect(
      renderEmail('reply', 'en', notificationFor('reply', 'en', { recipientName: 'Ms Wang' })).text,
    ).toContain('Dear Ms Wang,');
  });

  it('names the kind of request when the case type is known, and stays generic otherwise', () => {
    const claim = renderEmail(
      'acknowledgement',
      'zh-CN',
      notificationFor('acknowledgement', 'zh-CN', { caseType: 'claim' }),
    );
    expect(claim.subject).toBe('【包裹客服】您的理赔申请已受理（工单号：CS2611230001AB）');
    const generic = renderEmail(
      'acknowledgement',
      'en',
      notificationFor('acknowledgement', 'en', { caseType: undefined }),
    );
    expect(generic.subject).toBe('[Parcel Care] We have received your request (case CS2611230001AB)');
  });

  it("uses the carrier's brand name when given", () => {
    const email = renderEmail('survey', 'zh-CN', notificationFor('survey', 'zh-CN'), {
      brandName: '顺达速运',
    });
    expect(email.subject.startsWith('【顺达速运】')).toBe(true);
    expect(email.text).toContain('顺达速运 敬上');
    expect(email.text).not.toContain('包裹客服');
  });

  it('tells the customer both case numbers when a duplicate is linked', () => {
    const zh = renderEmail('duplicate_linked', 'zh-CN', notificationFor('duplicate_linked', 'zh-CN'));
    expect(zh.subject).toBe('【包裹客服】您的诉求已关联至工单 CS2611200007XY（工单号：CS2611230001AB）');
    expect(zh.text).toContain('该运单已有正在处理中的工单 CS2611200007XY');
  });

  it('tells the team lead which team, clock and level a breach concerns', () => {
    const zh = renderEmail(
      'breach_notice',
      'zh-CN',
      notificationFor('breach_notice', 'zh-CN', { recipientName: '李经理' }),
    );
    expect(zh.text).toContain('李经理，您好：');
    expect(zh.text).toContain('负责团队：运营组');
    expect(zh.text).toContain('到期时间：2026-11-24 14:00 (北京时间)');
    expect(zh.text).toContain('当前处理级别：主管');
    expect(zh.text).toContain(`在工作台中打开：${consoleLink}`);
    expect(zh.text).not.toContain('尊敬的客户');

    const en = renderEmail(
      'breach_notice',
      'en',
      notificationFor('breach_notice', 'en', { escalationLevel: 2, team: 'security' }),
    );
    expect(en.subject).toBe(
      '[Parcel Care] Breached: handling plan deadline missed, escalated to manager (case CS2611230001AB)',
    );
    expect(en.text).toContain('Team: Information security');
  });

  it('refuses data meant for another kind', () => {
    const reply: NotificationData = notificationFor('reply', 'zh-CN');
    expect(() => renderEmail('plan', 'zh-CN', reply as unknown as NotificationDataOf<'plan'>)).toThrow(
      RangeError,
    );
  });
});

describe('formatMoney', () => {
  it('writes yuan with the ¥ sign in Chinese and the currency code in English', () => {
    expect(formatMoney({ amount: 54, currency: 'CNY' }, 'zh-CN')).toBe('¥54.00');
    expect(formatMoney({ amount: 54, currency: 'CNY' }, 'en')).toBe('54.00 CNY');
    expect(formatMoney({ amount: 1234.5, currency: 'cny' }, 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney({ amount: 12.345, currency: 'USD' }, 'zh-CN')).toBe('12.35 USD');
  });
});

describe('renderSms', () => {
  it.each(smsKindsInEveryLocale)('puts the case number in the %s SMS (%s)', (kind, locale) => {
    expect(renderSms(kind, locale, notificationFor(kind, locale))).toContain(caseId);
  });

  it.each(smsKindsInEveryLocale)(
    'fits the %s SMS (%s) in one segment when there is no case link',
    (kind, locale) => {
      const data = notificationFor(kind, locale, { caseLink: undefined });
      expect(renderSms(kind, locale, data).length).toBeLessThanOrEqual(smsLengthLimit[locale]);
    },
  );

  it.each(smsNotificationKinds)('fits the English %s SMS in 160 characters with the link', (kind) => {
    const sms = renderSms(kind, 'en', notificationFor(kind, 'en'));
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms).not.toMatch(cjk);
  });

  it('acknowledges in Chinese with the first-response deadline in Beijing time', () => {
    const sms = renderSms(
      'acknowledgement',
      'zh-CN',
      notificationFor('acknowledgement', 'zh-CN', { caseLink: undefined }),
    );
    expect(sms).toBe('【包裹客服】您的投诉已受理，工单号CS2611230001AB，我们将于11月23日16:00前答复您。');
  });

  it('acknowledges in English with the deadline and the link', () => {
    expect(renderSms('acknowledgement', 'en', notificationFor('acknowledgement', 'en'))).toBe(
      `Parcel Care: we have received your complaint, case CS2611230001AB. We will reply by 2026-11-23 16:00 (UTC+8). Details: ${caseLink}`,
    );
  });

  it('cuts a long agent reply to 70 characters with an ellipsis', () => {
    const sms = renderSms('reply', 'zh-CN', notificationFor('reply', 'zh-CN', { caseLink: undefined }));
    expect(sms.length).toBeLessThanOrEqual(70);
    expect(sms.startsWith('【包裹客服】工单CS2611230001AB有新回复：您好，我们已联系网点负责人')).toBe(true);
    expect(sms.endsWith('…')).toBe(true);
  });

  it('keeps the whole link after a cut reply, so the customer can read the rest', () => {
    const sms = renderSms('reply', 'zh-CN', notificationFor('reply', 'zh-CN'));
    expect(sms).toContain('…详情：https://care.example.cn/c/tk_8fJ2');
    expect(sms.endsWith(caseLink)).toBe(true);
    expect(sms).toContain('您好，我们已联系网点');
  });

  it('sends a short reply whole', () => {
    const sms = renderSms(
      'reply',
      'zh-CN',
      notificationFor('reply', 'zh-CN', { message: '您好，包裹已重新派送。', caseLink: undefined }),
    );
    expect(sms).toBe('【包裹客服】工单CS2611230001AB有新回复：您好，包裹已重新派送。');
  });

  it('cuts English replies with three dots and plain punctuation, which keep the 160-character segment', () => {
    const message = `We’re sorry – ${'the courier has been spoken to. '.repeat(8)}`;
    const sms = renderSms('reply', 'en', notificationFor('reply', 'en', { message }));
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms).toContain("We're sorry - the courier");
    expect(sms).toMatch(/\.\.\. Details: https:\/\/care\.example\.cn\/c\/tk_8fJ2$/);
    expect(sms).toMatch(/^[\x20-\x7e]*$/);
  });

  it('puts the compensation amount in the resolution SMS', () => {
    const zh = renderSms(
      'resolution',
      'zh-CN',
      notificationFor('resolution', 'zh-CN', { caseLink: undefined }),
    );
    expect(zh).toContain('【包裹客服】工单CS2611230001AB已处理完毕。赔偿¥54.00。');
    expect(zh.length).toBeLessThanOrEqual(70);
    const en = renderSms('resolution', 'en', notificationFor('resolution', 'en'));
    expect(en).toContain('case CS2611230001AB has been resolved, with compensation of 54.00 CNY.');
  });

  it('invites a survey with its link', () => {
    expect(renderSms('survey', 'zh-CN', notificationFor('survey', 'zh-CN'))).toBe(
      `【包裹客服】工单CS2611230001AB已办结，诚邀您评价本次服务：${surveyLink}`,
    );
  });

  it('gives both case numbers when a duplicate is linked', () => {
    const sms = renderSms(
      'duplicate_linked',
      'zh-CN',
      notificationFor('duplicate_linked', 'zh-CN', { caseLink: undefined }),
    );
    expect(sms).toContain(caseId);
    expect(sms).toContain(existingCaseId);
    expect(sms).toContain('无需重复提交');
  });

  it.each(staffNotificationKinds)('has no SMS for the staff-only %s', (kind) => {
    expect(() => renderSms(kind, 'zh-CN', notificationFor(kind, 'zh-CN'))).toThrow(RangeError);
    expect(() => renderSms(kind, 'en', notificationFor(kind, 'en'))).toThrow(/no SMS template/);
  });
});
