import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { submitCaseRequestSchema } from '#events/customer-api';
import { messageForPeople } from '../../../functions/middleware/validation-messages.ts';

const messagesFor = (schema: z.core.$ZodType, input: unknown) =>
  Object.fromEntries(
    (z.safeParse(schema, input, { error: messageForPeople }).error?.issues ?? []).map((issue) => [
      issue.path.join('.') || '(body)',
      issue.message,
    ]),
  );

describe('validation messages for people', () => {
  it('names what is missing or wrong in a submitted case', () => {
    const messages = messagesFor(submitCaseRequestSchema, {
      type: 'grumble',
      description: 'x',
      customer: { name: '张三', email: 'not-an-email', locale: 'zh-CN' },
      consent: { dataProcessing: true },
    });
    expect(messages.subject).toBe('subject is required');
    expect(messages.type).toMatch(/^type must be one of "inquiry", "complaint"/);
    expect(messages['customer.email']).toBe('customer.email must be an email address');
  });

  it('says lengths, ranges, types and unknown fields in words', () => {
    const schema = z
      .object({
        subject: z.string().min(1).max(5),
        score: z.number().int().min(1).max(5),
        tags: z.array(z.string()),
      })
      .strict();
    expect(messagesFor(schema, { subject: '', score: 9, tags: 'a', extra: 1 })).toEqual({
      subject: 'subject must not be empty',
      score: 'score must be at most 5',
      tags: 'tags must be a list',
      '(body)': 'extra is not a field of the body',
    });
    expect(messagesFor(schema, { subject: 'toolong', score: 1.5, tags: [] })).toEqual({
      subject: 'subject must be at most 5 characters',
      score: 'score must be a whole number',
    });
  });

  it('leaves a schema’s own message alone', () => {
    const schema = z.object({
      code: z.string().refine((text) => text.startsWith('CS'), 'Use a case number'),
    });
    expect(messagesFor(schema, { code: 'X' })).toEqual({ code: 'Use a case number' });
  });
});
