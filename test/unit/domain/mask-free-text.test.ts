import { describe, expect, it } from 'vitest';
import { maskFreeText } from '#domain/masking';

describe('maskFreeText: personal data inside what people typed', () => {
  it.each([
    ['我的手机13800138000，请尽快联系', '我的手机138****8000，请尽快联系'],
    ['电话：138 0013 8000 谢谢', '电话：138****8000 谢谢'],
    ['call 138-0013-8000 or +86 139 1234 5678', 'call 138****8000 or 139****5678'],
    ['拨打 0086-13912345678', '拨打 139****5678'],
    ['split oddly: 1 3 8 0 0 1 3 8 0 0 0.', 'split oddly: 138****8000.'],
    ['全角号码１３８００１３８０００到了吗', '全角号码138****8000到了吗'],
    ['全角带空格 １３８　００１３　８０００', '全角带空格 138****8000'],
    // Found by the looser pattern the log's mask uses (no numbering plans): slashes, double spaces.
    ['手机 138/0013/8000 谢谢', '手机 138****8000 谢谢'],
    ['号码 138  0013  8000', '号码 138****8000'],
    ['tel +86 (0)138 0013 8000.', 'tel +86 (0)138****8000.'],
  ])('masks the mobile in %j', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    ['座机 010-65529988 工作日', '座机 010****9988 工作日'],
    ['座机 (0755) 8765 4321', '座机 075****4321'],
    ['office 021 6123 4567.', 'office 021****4567.'],
    ['London +44 20 7946 0958 please', 'London 442****0958 please'],
    ['US +1 (415) 555-0100', 'US 141****0100'],
  ])('masks the landline or international number in %j', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    ['邮箱 zhangsan@example.com 收不到', '邮箱 z***@example.com 收不到'],
    ['mail me at li.si+parcel@mail.example.cn.', 'mail me at l***@mail.example.cn.'],
    ['全角邮箱ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', '全角邮箱w***@example.com'],
    ['qq 13800138000@qq.com', 'qq 1***@qq.com'],
  ])('masks the email in %j', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    ['身份证号11010519491231002X，请核实', `身份证号${'*'.repeat(18)}，请核实`],
    ['ID 110105 19491231 002x ok', `ID ${'*'.repeat(18)} ok`],
    ['passport E12345678 and permit EA1234567', 'passport ********* and permit *********'],
    ['card 6222 0212 3456 7890 123', `card ${'*'.repeat(19)}`],
  ])('masks the ID-like number in %j', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    'waybill SF1234567890 and YT7712345678901',
    '案件 CS2611230001AB 于 2026-11-30 08:00 提交，金额 ¥1200.50',
    'order 2026112300001 shipped 2026-01-02',
    'plain text with nothing personal in it',
  ])('leaves %j as it is', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });

  it('masks several kinds in one text and leaves the words between them', () => {
    expect(maskFreeText('张先生 13800138000 / a@b.cn / 010-65529988')).toBe(
      '张先生 138****8000 / a***@b.cn / 010****9988',
    );
  });

  it('is stable: masking masked text changes nothing', () => {
    const once = maskFreeText('电话 13800138000, mail zhangsan@example.com, ID 11010519491231002X');
    expect(maskFreeText(once)).toBe(once);
  });
});
