// Counters are updated inside each case's transaction; a batch of cases taken through intake in
// parallel touches the same day's counter items at once, and every one of them must still count.
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as reportSummary } from '#functions/http/report-summary';
import { handler as submitCase } from '#functions/http/submit-case';
import { handler as intakeConsumer } from '#functions/queue/intake-consumer';
import { callRoute, supervisor } from '../support/case-routes.ts';
import { drainCaseStream } from '../support/case-stream.ts';
import { aComplaint } from '../support/factories.ts';
import {
  callApi,
  createIntegrationEnvironment,
  deliverBatch,
  type IntegrationEnvironment,
  uniqueEmail,
} from '../support/integration-environment.ts';

let env: IntegrationEnvironment;
beforeAll(async () => {
  env = await createIntegrationEnvironment();
});

describe('report counters under concurrent writes', () => {
  it('counts each case of a batch that intake processes in parallel, exactly once', async () => {
    for (let n = 0; n < 10; n += 1) {
      const body = aComplaint({ customer: { email: uniqueEmail() } });
      await callApi(submitCase, { method: 'POST', routeKey: 'POST /cases', path: '/cases', body });
    }
    const batch = await deliverBatch(env, 'intake', intakeConsumer, { duplicate: true });
    expect(batch).toMatchObject({ received: 10, failed: [] });
    await drainCaseStream(env);
    const report = await callRoute(reportSummary, 'GET /agent/reports/summary', { claims: supervisor });
    expect(report.body.counts.created).toBe(10);
    expect(report.body.counts.byStatus).toEqual({ open: 10 });
  });
});
