// Staff-facing words for statuses, clocks and API errors.
import { ApiError } from '../common/api.ts';

export const statusWords: Record<string, string> = {
  received: 'Received',
  open: 'Open',
  in_progress: 'In progress',
  awaiting_customer: 'Awaiting customer',
  resolved: 'Resolved',
  closed: 'Closed',
  appealed: 'Appealed',
};

export const clockWords: Record<string, string> = {
  firstResponse: 'First response',
  plan: 'Plan',
  resolution: 'Resolution',
  appeal: 'Appeal',
};

const errorWords: Record<string, string> = {
  network: 'The API could not be reached.',
  unauthorized: 'Your sign-in has expired. Sign in again.',
  forbidden: 'Your role may not do this.',
  not_found: 'No such case.',
  invalid_transition: 'The case cannot do that in its current status.',
  conflict: 'Someone changed this case at the same time; reload and try again.',
  validation_error: 'Check the form:',
  payload_too_large: 'The text is too long.',
  rate_limited: 'Too many requests; wait a moment.',
  internal_error: 'The service failed; try again shortly.',
};

export function staffErrorInWords(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'Something went wrong.';
  const lead = errorWords[error.code] ?? 'The request failed.';
  const details = error.details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
  const said = error.code === 'network' || error.code === 'unauthorized' ? '' : error.message;
  return [lead, said, details].filter(Boolean).join(' ');
}
