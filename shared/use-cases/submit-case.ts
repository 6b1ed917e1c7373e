// A customer submits a case: record its answer under the Idempotency-Key if one came, then store the case
// (its timeline entry and contact index entries follow it, CaseStore.createCase), then queue it for intake.
// A lost hand-off is healed by the sweep (cases stuck in `received`). The record goes first, on its own, so
// a retry always knows the case id: if it finds the record but no case (the first request is still in
// flight, or stopped between the two writes) it creates the case under that id, as of the record's time,
// and whichever of the two stores the case first is the answer of both.
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
import {
  ChangeNotCompleted,
  ConcurrentModification,
  type IdempotencyRecord,
  type ScopedIdempotencyKey,
} from './ports.ts';

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
  const idempotent: Idempotent | undefined = request.idempotencyKey
    ? { key: { key: request.idempotencyKey, scope: `${contactHashes[0]}|${request.source}` }, requestHash }
    : undefined;
  const submit = { submission, contactHashes, idempotent };

  if (idempotent) {
    const seen = await seenBefore(idempotent, now, deps);
    if (seen) return answerSeen(seen, submit, deps);
  }
  // A replay above is no new submission; everything after it counts against the source's limit.
  await requireWithinLimits(deps, now, [{ limit: 'source_per_minute', scope: request.source }]);

  const [sequence, tier] = await Promise.all([
    deps.cases.nextDailySequence(beijingDate(now)),
    deps.customers.tierOf(contactHashes),
  ]);
  const registered = await register(
    submit,
    formatCaseId(now, sequence, deps.randomSuffix()),
    now,
    tier,
    deps,
  );

  if (idempotent) {
    const { accessToken: _token, ...response } = registered.result;
    const record: IdempotencyRecord = {
      requestHash,
      caseId: registered.result.caseId,
      response,
      expiresAt: Math.floor((now.getTime() + idempotencyWindowMs) / 1000),
    };
    if (!(await deps.idempotency.putIdempotencyRecord(idempotent.key, record, now))) {
      // Another request with this key recorded its answer first: answer as it does.
      const seen = await seenBefore(idempotent, now, deps);
      if (seen) return answerSeen(seen, submit, deps);
      throw new ConcurrentModification('The Idempotency-Key was taken and released meanwhile');
    }
  }
  return store(registered, submit, deps);
}

/** The client's key in its scope, and the fingerprint of the body it came with. */
interface Idempotent {
  key: ScopedIdempotencyKey;
  requestHash: string;
}

/** What one submission brings, whichever case id and clock it is registered under. */
interface Submit {
  submission: CaseSubmission;
  contactHashes: string[];
  idempotent: Idempotent | undefined;
}

type Registered = { result: SubmitCaseResult } & ReturnType<typeof registerCase>;

async function register(
  { submission, contactHashes }: Submit,
  caseId: string,
  now: Date,
  tier: Awaited<ReturnType<Dependencies['customers']['tierOf']>>,
  deps: Dependencies,
): Promise<Registered> {
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
  return { result, supportCase, timeline };
}

/** Stores the registered case and queues it for intake; a lost race on its id is answered as the winner. */
async function store(
  { result, supportCase, timeline }: Registered,
  { idempotent }: Submit,
  deps: Dependencies,
): Promise<{ result: SubmitCaseResult; replayed: boolean }> {
  try {
    await deps.cases.createCase(supportCase, timeline);
  } catch (error) {
    if (error instanceof ChangeNotCompleted) {
      // The case stands; its timeline and contact entries are the table stream's to write.
      deps.metrics.count('CaseChangesLeftToStream', {});
      deps.logger.warn('Case created; the table stream will complete it', { caseId: supportCase.caseId });
    } else {
      // Two requests with one key raced to store the case under the recorded id: answer as the winner.
      const replay =
        error instanceof ConcurrentModification && idempotent
          ? await replayIfSeen(idempotent, deps.clock.now(), deps)
          : null;
      if (replay) return { result: replay, replayed: true };
      throw error;
    }
  }

  try {
    await deps.queues.intake.send([{ caseId: supportCase.caseId }]);
  } catch (error) {
    deps.logger.warn('Intake message not queued; the sweep will re-queue the case', {
      caseId: supportCase.caseId,
      error: (error as Error).message,
    });
  }
  return { result, replayed: false };
}

/** A live record under the key, for this very request: its case answered, or not stored yet. */
type Seen = { replay: SubmitCaseResult } | { unfinished: IdempotencyRecord };

async function seenBefore(idempotent: Idempotent, now: Date, deps: Dependencies): Promise<Seen | null> {
  const record = await deps.idempotency.getIdempotencyRecord(idempotent.key);
  if (!record || record.expiresAt * 1000 <= now.getTime()) return null;
  if (record.requestHash !== idempotent.requestHash) {
    throw new IdempotencyKeyReused('This Idempotency-Key was used with a different request body');
  }
  const supportCase = await deps.cases.getCase(record.caseId);
  if (!supportCase) return { unfinished: record };
  return {
    replay: {
      ...(record.response as Omit<SubmitCaseResult, 'accessToken'>),
      accessToken: deps.keyring.caseToken(supportCase.caseId, supportCase.tokenNonce),
    },
  };
}

async function replayIfSeen(idempotent: Idempotent, now: Date, deps: Dependencies) {
  const seen = await seenBefore(idempotent, now, deps);
  return seen && 'replay' in seen ? seen.replay : null;
}

/**
 * The answer to a request whose key is recorded: a replay of its case, or, when the case is not stored
 * yet, the case created here under the recorded id (the first request's token was never given out, so a
 * new one does). It is registered as of the record's creation, so its createdAt and deadlines are the
 * recorded answer's, and it counts against no limit: the first request did. If the first request stores
 * its case meanwhile, the put here loses and this answers as it.
 */
async function answerSeen(
  seen: Seen,
  submit: Submit,
  deps: Dependencies,
): Promise<{ result: SubmitCaseResult; replayed: boolean }> {
  if ('replay' in seen) return { result: seen.replay, replayed: true };
  const recorded = seen.unfinished.response as Omit<SubmitCaseResult, 'accessToken'>;
  const tier = await deps.customers.tierOf(submit.contactHashes);
  const registered = await register(submit, seen.unfinished.caseId, new Date(recorded.createdAt), tier, deps);
  return store(registered, submit, deps);
}
