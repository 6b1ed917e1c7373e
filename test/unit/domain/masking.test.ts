import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone } from '#domain/masking';

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
