import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { customerDirectory } from '#adapters/wiring/customer-directory';
import { idempotencyRecords } from '#adapters/wiring/idempotency-records';
import { keyring } from '#adapters/wiring/keyring';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { rateLimits } from '#adapters/wiring/rate-limits';
import { ValidationFailed } from '#domain/errors';
import { idempotencyKeySchema, submitCaseRoutes } from '#events/customer-submit-api';
import { submitCase } from '#use-cases/submit-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  submitCaseRoutes.submitCase,
  [caseTable, contactRegistry, idempotencyRecords, rateLimits, customerDirectory, keyring, queues, policy],
  async (request, deps) => {
    const idempotencyKey = request.headers['idempotency-key'];
    if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
      throw new ValidationFailed('Idempotency-Key is invalid', [
        { path: 'Idempotency-Key', message: 'Use 8–128 characters' },
      ]);
    }
    const { result, replayed } = await submitCase(
      request.body,
      { rawBody: request.rawBody, idempotencyKey, source: request.sourceIp },
      deps,
    );
    return {
      body: result,
      headers: {
        location: `/cases/${result.caseId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    };
  },
);
