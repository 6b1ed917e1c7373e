import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone, redactPersonalData } from '#domain/masking';

describe('masking personal data (DOMAIN.md §9)', () => {
  it('masks a mainland mobile as 138****8000', () => {
    expect(maskPhone('+8613800138000')).toBe('138****8000');
  });

  it('masks an email as z***@example.com', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('z***@example.com');
  });

  it('masks a name as 张*', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });

  it('hides too-short phone numbers entirely', () => {
    expect(maskPhone('12345')).toBe('****');
  });
});

describe('personal data in free text', () => {
  it.each([
    ['SMS to +86 138 0013 8000 failed', 'SMS to 138****8000 failed'],
    ['call 138-0013-8000 or (+86)139 1234 5678', 'call 138****8000 or 139****5678'],
    [
      'bare 13912345678 and order 2026112300001 for CS2611230001AB',
      'bare 139****5678 and order 2026112300001 for CS2611230001AB',
    ],
    ['mail 13800138000@qq.com bounced', 'mail 1***@qq.com bounced'],
    ['landline +861065529988 too', 'landline 106****9988 too'],
  ])('masks %j', (text, masked) => {
    expect(redactPersonalData(text)).toBe(masked);
  });
});
