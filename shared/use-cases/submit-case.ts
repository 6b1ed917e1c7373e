// A customer submits a case: register it, its timeline and its idempotency record in one transaction,
// then queue it for intake. A lost hand-off is healed by the sweep (cases stuck in `received`).
import { createHash } from 'node:crypto';
import { beijingDate } from '#domain/beijing-time';
import { type CaseSubmission, formatCaseId, registerCase } from '#domain/case/registration';
import { hashToken } from '#domain/case-token';
import { IdempotencyKeyReused } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import { requireWithinLimits } from './abuse-limits.ts';
import type { Dependencies } from './ports.ts';
import { ConcurrentModification, type IdempotencyRecord } from './ports.ts';

export interface SubmitCaseResult {
  caseId: string;
  status: SupportCase['status'];
  accessToken: string;
  createdAt: string;
  deadlines: { firstResponseDueAt: string; planDueAt: string; resolutionDueAt: string };
}

const idempotencyWindowMs = 24 * 3600_000;

/** Canonical JSON: the same body with keys in another order is the same request. */
export function requestFingerprint(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value as Record<string, unknown>)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('base64url');
}

export async function submitCase(
  submission: CaseSubmission,
  request: { rawBody: unknown; idempotencyKey?: string; sourceIp?: string },
  deps: Dependencies,
): Promise<{ result: SubmitCaseResult; replayed: boolean }> {
  const now = deps.clock.now();
  const requestHash = requestFingerprint(request.rawBody);

  if (request.idempotencyKey) {
    const replay = await replayIfSeen(request.idempotencyKey, requestHash, now, deps);
    if (replay) return { result: replay, replayed: true };
  }
  // A replay above is no new submission; everything after it counts against the source's limit.
  await requireWithinLimits(deps, now, [
    { limit: 'source_per_minute', scope: request.sourceIp ?? 'unknown' },
  ]);

  const sequence = await deps.cases.nextDailySequence(beijingDate(now));
  const caseId = formatCaseId(now, sequence, deps.randomSuffix());
  const tokenNonce = deps.keyring.newTokenNonce();
  const accessToken = deps.keyring.caseToken(caseId, tokenNonce);
  const contacts = [submission.customer.email, submission.customer.phone].filter((c): c is string =>
    Boolean(c),
  );
  const { supportCase, timeline } = registerCase(submission, {
    caseId,
    now,
    accessTokenHash: hashToken(accessToken),
    tokenNonce,
    contactHashes: contacts.map((contact) => deps.keyring.hashContact(contact)),
    sla: { calendar: deps.calendar, policy: deps.slaPolicy },
  });
  const result: SubmitCaseResult = {
    caseId,
    status: supportCase.status,
    accessToken,
    createdAt: supportCase.createdAt,
    deadlines: supportCase.deadlines,
  };

  const { accessToken: _token, ...storedResponse } = result;
  const idempotency: { key: string; record: IdempotencyRecord } | undefined = request.idempotencyKey
    ? {
        key: request.idempotencyKey,
        record: {
          requestHash,
          caseId,
          response: storedResponse,
          expiresAt: Math.floor((now.getTime() + idempotencyWindowMs) / 1000),
        },
      }
    : undefined;

  try {
    await deps.cases.createCase(supportCase, timeline, idempotency);
  } catch (error) {
    // Two requests with one key raced: the other one won, so answer as it did.
    if (error instanceof ConcurrentModification && request.idempotencyKey) {
      const replay = await replayIfSeen(request.idempotencyKey, requestHash, now, deps);
      if (replay) return { result: replay, replayed: true };
    }
    throw error;
  }

  try {
    await deps.queues.intake.send([{ caseId }]);
  } catch (error) {
    deps.logger.warn('Intake message not queued; the sweep will re-queue the case', {
      caseId,
      error: (error as Error).message,
    });
  }
  return { result, replayed: false };
}

async function replayIfSeen(
  idempotencyKey: string,
  requestHash: string,
  now: Date,
  deps: Dependencies,
): Promise<SubmitCaseResult | null> {
  const record = await deps.idempotency.getIdempotencyRecord(idempotencyKey);
  if (!record || record.expiresAt * 1000 <= now.getTime()) return null;
  if (record.requestHash !== requestHash) {
    throw new IdempotencyKeyReused('This Idempotency-Key was used with a different request body');
  }
  const supportCase = await deps.cases.getCase(record.caseId);
  if (!supportCase) return null;
  return {
    ...(record.response as Omit<SubmitCaseResult, 'accessToken'>),
    accessToken: deps.keyring.caseToken(supportCase.caseId, supportCase.tokenNonce),
  };
}
