import { caseTable } from '#adapters/wiring/case-table';
import { keyring } from '#adapters/wiring/keyring';
import { policy } from '#adapters/wiring/policy';
import { queues } from '#adapters/wiring/queues';
import { ValidationFailed } from '#domain/errors';
import { idempotencyKeySchema, submitCaseRoutes } from '#events/customer-submit-api';
import { submitCase } from '#use-cases/submit-case';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  submitCaseRoutes.submitCase,
  [caseTable, keyring, queues, policy],
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
