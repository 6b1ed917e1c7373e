import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactPersonalData } from '#domain/masking';
import { RedactingLogFormatter } from '#shared/observability';

describe('personal data in logs', () => {
  it('masks emails and phone numbers inside free text, and leaves case ids alone', () => {
    expect(
      redactPersonalData(
        'Email address is not verified: zhangsan@example.com; SMS to +8613800138000 for CS2611230001AB',
      ),
    ).toBe('Email address is not verified: z***@example.com; SMS to 138****8000 for CS2611230001AB');
    expect(redactPersonalData('bare 13912345678 and order 2026112300001')).toBe(
      'bare 139****5678 and order 2026112300001',
    );
  });

  it('masks a mainland mobile however it is written, with no numbering plans (no libphonenumber-js)', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/))
      .map(([second, rest]) => `1${second}${rest}`);
    const prefix = fc.constantFrom(
      '',
      '+86',
      '+86 ',
      '+86-',
      '0086',
      '0086 ',
      '(+86)',
      '(+86) ',
      '+86 (0)',
      '86',
    );
    const separator = fc.constantFrom('', ' ', '  ', '-', ' - ', '.', '/', '—', '－');
    const grouping = fc.constantFrom<number[]>([3, 7], [3, 6, 9], [4, 8], []);
    const around = fc.tuple(
      fc.constantFrom('SMS to ', '电话：', 'recipient=', '(', '"', 'tel:', ''),
      fc.constantFrom(' failed', '，谢谢', ')', '"', '.', ''),
    );
    fc.assert(
      fc.property(
        mobile,
        prefix,
        separator,
        grouping,
        around,
        (digits, before, sep, groups, [lead, tail]) => {
          const written = [...digits]
            .map((digit, i) => (groups.includes(i + 1) ? `${digit}${sep}` : digit))
            .join('');
          const text = `${lead}${before}${written}${tail}`;
          const masked = redactPersonalData(text);
          expect(masked).toContain(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
          // Nothing else of the number is left: neither its middle digits nor its country code.
          expect(masked.replace(/\D/g, '')).toBe(`${digits.slice(0, 3)}${digits.slice(-4)}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  describe('the logger', () => {
    afterEach(() => vi.restoreAllMocks());

    it('never writes an email or a phone in clear, even inside an error from a provider', () => {
      const logger = new Logger({
        serviceName: 'test',
        logLevel: 'INFO',
        logFormatter: new RedactingLogFormatter(),
      });
      // Powertools writes through its own Console; catch what it would print.
      const written: string[] = [];
      vi.spyOn((logger as unknown as { console: Console }).console, 'error').mockImplementation(
        (line: unknown) => {
          written.push(String(line));
        },
      );
      logger.error('Send failed for lisi@example.com', {
        recipient: '+8613900001111',
        nested: { list: ['wang@example.org'] },
      });
      logger.error(
        'Unhandled error',
        new Error('MessageRejected: Email address is not verified: lisi@example.com'),
      );
      const printed = written.join('\n');
      expect(written).toHaveLength(2);
      expect(printed).not.toMatch(/lisi@example\.com|wang@example\.org|13900001111/);
      expect(printed).toContain('l***@example.com');
      expect(printed).toContain('139****1111');
      expect(printed).toContain('MessageRejected');
    });
  });
});
