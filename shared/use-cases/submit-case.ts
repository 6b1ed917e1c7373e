// A customer submits a case: register it, its timeline and its idempotency record in one transaction,
// then queue it for intake. A lost hand-off is healed by the sweep (cases stuck in `received`).
import { createHash } from 'node:crypto';
import { beijingDate } from '#domain/beijing-time';
import { type CaseSubmission, formatCaseId, registerCase } from '#domain/case/registration';
import { hashToken } from '#domain/case-token';
import { IdempotencyKeyReused, ValidationFailed } from '#domain/errors';
import { maxNestingDepth } from '#domain/nesting-depth';
import { requireMobileNumber } from '#domain/phone-numbers';
import { requireSmsCountry } from '#domain/phone-rules';
import type { SupportCase } from '#domain/support-case';
import { requireWithinLimits } from './abuse-limits.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';
import { ConcurrentModification, type IdempotencyRecord, type ScopedIdempotencyKey } from './ports.ts';

export interface SubmitCaseResult {
  caseId: string;
  status: SupportCase['status'];
  accessToken: string;
  createdAt: string;
  deadlines: { firstResponseDueAt: string; planDueAt: string; resolutionDueAt: string };
}

const idempotencyWindowMs = 24 * 3600_000;

/**
 * Canonical JSON: the same body with keys in another order is the same request. The HTTP middleware
 * refuses deeper bodies already; the bound here keeps the recursion safe whoever calls it.
 */
export function requestFingerprint(body: unknown): string {
  const canonical = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (depth > maxNestingDepth) {
      throw new ValidationFailed('Request body is invalid', [
        { path: '(body)', message: `Nests deeper than ${maxNestingDepth} levels` },
      ]);
    }
    if (Array.isArray(value)) return value.map((item) => canonical(item, depth + 1));
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key], depth + 1)]),
    );
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body, 1)))
    .digest('base64url');
}

/** The submission with its phone, if any, as a mobile number in E.164 (the contract checked only its characters). */
function withMobileNumber(submission: CaseSubmission): CaseSubmission {
  const { phone } = submission.customer;
  if (phone === undefined) return submission;
  return {
    ...submission,
    customer: { ...submission.customer, phone: requireMobileNumber(phone, 'customer.phone') },
  };
}

export async function submitCase(
  submitted: CaseSubmission,
  request: { rawBody: unknown; idempotencyKey?: string; source: string },
  deps: Dependencies,
): Promise<{ result: SubmitCaseResult; replayed: boolean }> {
  const submission = withMobileNumber(submitted);
  if (submission.customer.phone) {
    requireSmsCountry(submission.customer.phone, deps.smsCountryCodes, 'customer.phone');
  }
  const now = deps.clock.now();
  const requestHash = requestFingerprint(request.rawBody);
  const contacts = [submission.customer.email, submission.customer.phone].filter((c): c is string =>
    Boolean(c),
  );
  const contactHashes = contacts.map((contact) => deps.keyring.hashContact(contact));
  // The key counts only for this customer from this source: a stranger who knows a key and a body
  // gets a case of their own, never the first submitter's token.
  const idempotencyKey: ScopedIdempotencyKey | undefined = request.idempotencyKey
    ? { key: request.idempotencyKey, scope: `${contactHashes[0]}|${request.source}` }
    : undefined;

  if (idempotencyKey) {
    const replay = await replayIfSeen(idempotencyKey, requestHash, now, deps);
    if (replay) return { result: replay, replayed: true };
  }
  // A replay above is no new submission; everything after it counts against the source's limit.
  await requireWithinLimits(deps, now, [{ limit: 'source_per_minute', scope: request.source }]);

  const [sequence, tier] = await Promise.all([
    deps.cases.nextDailySequence(beijingDate(now)),
    deps.customers.tierOf(contactHashes),
  ]);
  const caseId = formatCaseId(now, sequence, deps.randomSuffix());
  const tokenNonce = deps.keyring.newTokenNonce();
  const accessToken = deps.keyring.caseToken(caseId, tokenNonce);
  const { supportCase, timeline } = registerCase(submission, {
    caseId,
    now,
    accessTokenHash: hashToken(accessToken),
    tokenNonce,
    contactHashes,
    sla: (await policyInForce(deps)).sla,
    tier,
  });
  const result: SubmitCaseResult = {
    caseId,
    status: supportCase.status,
    accessToken,
    createdAt: supportCase.createdAt,
    deadlines: supportCase.deadlines,
  };

  const { accessToken: _token, ...storedResponse } = result;
  const idempotency: { key: ScopedIdempotencyKey; record: IdempotencyRecord } | undefined = idempotencyKey
    ? {
        key: idempotencyKey,
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
    if (error instanceof ConcurrentModification && idempotencyKey) {
      const replay = await replayIfSeen(idempotencyKey, requestHash, now, deps);
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
  idempotencyKey: ScopedIdempotencyKey,
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
