// The pages' pure parts: which file answers which path (sandbox and CloudFront alike), times as people
// read them, the customer's progress line, and request bodies the API's own schemas accept.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { listCasesQuerySchema, planRequestSchema, resolveRequestSchema } from '#events/agent-api';
import { cloudFrontRewriteCode, siteFileFor } from '../../../web/site-routes.ts';
import { progressOf } from '../../../web/src/case/progress.ts';
import { beijingTime, countdown } from '../../../web/src/common/time.ts';
import { type CompensationMode, compensationBody, queueQuery } from '../../../web/src/workspace/requests.ts';

const pagePaths: Array<[string, string]> = [
  ['/', '/index.html'],
  ['/case/CS2611230001AB', '/case.html'],
  ['/case/CS2611230001AB/', '/case.html'],
  ['/workspace', '/workspace.html'],
  ['/workspace/', '/workspace.html'],
  ['/workspace/cases/CS2611230001AB', '/workspace.html'],
  ['/workspace/reports', '/workspace.html'],
  ['/docs', '/docs.html'],
  ['/assets/case-abc.js', '/assets/case-abc.js'],
  ['/openapi.json', '/openapi.json'],
  ['/case/not-a-case', '/case/not-a-case'],
  ['/cases/CS2611230001AB', '/cases/CS2611230001AB'],
];

describe('page paths', () => {
  it.each(pagePaths)('serves %s from %s in the sandbox', (path, file) => {
    expect(siteFileFor(path)).toBe(file);
  });

  it.each(pagePaths)('rewrites %s to %s in the CloudFront function', (uri, file) => {
    const handler = runInNewContext(`${cloudFrontRewriteCode()}; handler`) as (event: unknown) => {
      uri: string;
    };
    expect(handler({ request: { uri, method: 'GET', headers: {} } }).uri).toBe(file);
  });
});

describe('times', () => {
  it('shows deadlines in Beijing time, in either language', () => {
    expect(beijingTime('2026-11-23T16:30:00.000Z', 'zh-CN')).toBe('2026/11/24 00:30（北京时间）');
    expect(beijingTime('2026-11-23T16:30:00.000Z', 'en')).toBe('24/11/2026, 00:30 (Beijing time)');
  });

  it('counts down in minutes, hours, then days, and counts up once overdue', () => {
    const now = Date.parse('2026-11-23T08:00:00.000Z');
    expect(countdown('2026-11-23T08:45:30.000Z', now)).toEqual({ text: '45m left', overdue: false });
    expect(countdown('2026-11-23T10:05:00.000Z', now)).toEqual({ text: '2h 5m left', overdue: false });
    expect(countdown('2026-11-26T11:00:00.000Z', now)).toEqual({ text: '3d 3h left', overdue: false });
    expect(countdown('2026-11-23T06:30:00.000Z', now)).toEqual({ text: 'overdue 1h 30m', overdue: true });
  });
});

describe('the customer’s progress line', () => {
  const withKinds = (status: string, ...kinds: string[]) =>
    ({ status, timeline: kinds.map((kind) => ({ at: '', kind, message: '' })) }) as Parameters<
      typeof progressOf
    >[0];

  it('follows the status, and shows the plan once there is one', () => {
    expect(progressOf(withKinds('received'))).toBe('received');
    expect(progressOf(withKinds('open'))).toBe('received');
    expect(progressOf(withKinds('in_progress'))).toBe('in_progress');
    expect(progressOf(withKinds('awaiting_customer', 'plan'))).toBe('plan');
    expect(progressOf(withKinds('resolved', 'plan'))).toBe('resolved');
    expect(progressOf(withKinds('appealed', 'plan', 'resolved'))).toBe('plan');
    expect(progressOf(withKinds('closed'))).toBe('closed');
  });
});

describe('what the workspace sends', () => {
  it('builds queue queries the list route accepts', () => {
    const url = queueQuery({ status: 'open', team: 'branch', breached: true }, 'abc');
    expect(url).toBe('/agent/cases?status=open&team=branch&breached=true&limit=25&cursor=abc');
    const parsed = listCasesQuerySchema.parse(Object.fromEntries(new URL(url, 'http://x').searchParams));
    expect(parsed).toMatchObject({ status: 'open', team: 'branch', breached: true, limit: 25 });
  });

  it.each<[CompensationMode, string, string, unknown]>([
    ['none', '', '', {}],
    ['amount', '800', '', { compensation: { amount: 800, currency: 'CNY' } }],
    ['lost', '', '', { situation: { kind: 'lost' } }],
    ['lost', '1200.5', '', { situation: { kind: 'lost', actualLoss: { amount: 1200.5, currency: 'CNY' } } }],
    [
      'damaged_contents',
      '300',
      '',
      {
        situation: { kind: 'damaged', severity: 'contents', assessedLoss: { amount: 300, currency: 'CNY' } },
      },
    ],
    ['damaged_packaging', '', '', { situation: { kind: 'damaged', severity: 'packaging' } }],
    ['delayed', '', '2', { situation: { kind: 'delayed', daysLate: 2 } }],
  ])('compensation %s (%s, %s) is a body plan and resolve accept', (mode, amount, days, expected) => {
    const body = compensationBody(mode, amount, days);
    expect(body).toEqual(expected);
    expect(resolveRequestSchema.safeParse({ resolution: '已处理', ...body }).success).toBe(true);
    expect(planRequestSchema.safeParse({ message: '方案', ...body }).success).toBe(true);
  });
});
