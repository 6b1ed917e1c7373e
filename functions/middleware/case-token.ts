// Customer routes prove ownership with the case token: header X-Case-Token, or ?token= for links in emails.
import { z } from 'zod';

export const caseTokenQuerySchema = z.object({ token: z.string().max(200).optional() });

export function caseTokenOf(request: {
  headers: Record<string, string | undefined>;
  query: { token?: string };
}): string | undefined {
  return request.headers['x-case-token'] ?? request.query.token;
}
