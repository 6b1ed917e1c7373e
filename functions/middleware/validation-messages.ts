// Zod's messages, phrased for the people who read `details` ("subject is required", not "Invalid
// input: expected string, received undefined"). One error map for every request check; a schema's
// own message (a refine's, say) still wins over it.
import type * as z from '#shared/zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const typeNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
};

const formatNames: Record<string, string> = {
  email: 'an email address',
  datetime: 'an ISO 8601 time like 2026-11-23T08:00:00.000Z',
  date: 'a date like 2026-11-23',
  url: 'a URL',
  uuid: 'a UUID',
  e164: 'a phone number in international form, like +8613800138000',
};

export const messageForPeople: z.core.$ZodErrorMap = (issue: Issue) => {
  const field = issue.path && issue.path.length > 0 ? issue.path.join('.') : 'The body';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${typeNames[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string')
        return minimum <= 1
          ? `${field} must not be empty`
          : `${field} must be at least ${minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${field} must have at least ${minimum} item${minimum === 1 ? '' : 's'}`;
      return `${field} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `${field} must be at most ${maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${field} must have at most ${maximum} item${maximum === 1 ? '' : 's'}`;
      return `${field} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
    }
    case 'invalid_format':
      if (issue.format === 'regex') return `${field} is not in the expected format`;
      return `${field} must be ${formatNames[issue.format] ?? `a valid ${issue.format}`}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${field} must be ${JSON.stringify(issue.values[0])}`
        : `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} of ${field === 'The body' ? 'the body' : field}`;
    case 'invalid_union':
      return `${field} does not match any of the accepted shapes`;
    default:
      return undefined;
  }
};
