import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import * as customerActions from '#domain/case/customer-actions';
import { acceptReceivedCase } from '#domain/case/intake';
import * as staffActions from '#domain/case/staff-actions';
import {
  durationBucket,
  medianFromHistogram,
  reportIncrements,
  sumCounters,
  summarizeCounters,
} from '#domain/case-report';
import { defaultCompensationPolicy } from '#domain/compensation';
import { breachClock } from '#domain/sla-clock';
import type { StaffMember } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { aReceivedCase } from '../../support/support-cases.ts';

const calendar = chinaBusinessCalendar();
const receivedAt = new Date('2026-03-02T01:00:00.000Z');
const minutes = (n: number) => new Date(receivedAt.getTime() + n * 60_000);
const alice: StaffMember = { sub: 'alice', roles: ['agent'] };
const sue: StaffMember = { sub: 'sue', roles: ['supervisor'] };
const policy = defaultCompensationPolicy;

function openCase(): { received: SupportCase; open: SupportCase } {
  const received = aReceivedCase({ receivedAt });
  const open = acceptReceivedCase(received, {
    now: receivedAt,
    sla: { calendar },
    duplicateOf: null,
  })!.supportCase;
  return { received, open };
}

describe('what a change adds to the day’s counters', () => {
  it('counts a classified case by type, category, channel and team, and its entering open', () => {
    const { received, open } = openCase();
    expect(reportIncrements(received, open)).toEqual({
      'status.open': 1,
      'created.type.complaint': 1,
      'created.category.complaint.service': 1,
      'created.channel.web': 1,
      'created.team.branch': 1,
      'team.branch.created.type.complaint': 1,
    });
  });

  it('puts the first public reply in the first-response histogram and counts its clock as met', () => {
    const { open } = openCase();
    const replied = staffActions.replyToCase(open, {
      at: minutes(40),
      actor: alice,
      message: 'x',
      internal: false,
    });
    expect(reportIncrements(open, replied.supportCase)).toEqual({
      'status.in_progress': 1,
      'sla.firstResponse.met': 1,
      'firstResponse.le.45': 1,
      'team.branch.sla.firstResponse.met': 1,
    });
  });

  it('counts a clock once: a breach the sweep recorded is not counted again when the answer comes', () => {
    const { open } = openCase();
    const swept: SupportCase = {
      ...open,
      clocks: { ...open.clocks, firstResponse: breachClock(open.clocks.firstResponse!, minutes(200)).clock },
    };
    expect(reportIncrements(open, swept)).toEqual({
      'sla.firstResponse.breached': 1,
      'team.branch.sla.firstResponse.breached': 1,
    });
    const replied = staffActions.replyToCase(swept, {
      at: minutes(300),
      actor: alice,
      message: 'x',
      internal: false,
    });
    expect(reportIncrements(swept, replied.supportCase)).toEqual({
      'status.in_progress': 1,
      'firstResponse.le.360': 1,
    });
  });

  it('counts a resolution by result, its time, and every clock it ends', () => {
    const { open } = openCase();
    const taken = staffActions.assignCase(open, { at: minutes(10), actor: alice }).supportCase;
    const resolved = staffActions.resolveCase(taken, {
      at: minutes(60),
      actor: sue,
      resolution: 'x',
      compensation: { amount: { amount: 800, currency: 'CNY' }, rule: 'agreed amount' },
      compensationPolicy: policy,
    }).supportCase;
    expect(reportIncrements(taken, resolved)).toEqual({
      'status.resolved': 1,
      'result.compensated': 1,
      'resolution.le.60': 1,
      'sla.firstResponse.met': 1,
      'sla.plan.met': 1,
      'sla.resolution.met': 1,
      'firstResponse.le.60': 1,
      'team.branch.status.resolved': 1,
      'team.branch.sla.firstResponse.met': 1,
      'team.branch.sla.plan.met': 1,
      'team.branch.sla.resolution.met': 1,
    });
  });

  it('counts feedback: CSAT, satisfied, and NPS as promoter, passive or detractor', () => {
    const { open } = openCase();
    const resolved: SupportCase = { ...open, status: 'resolved', resolvedAt: minutes(60).toISOString() };
    const answered = customerActions.giveFeedback(resolved, {
      at: minutes(90),
      score: 5,
      nps: 9,
    }).supportCase;
    expect(reportIncrements(resolved, answered)).toEqual({
      'feedback.responses': 1,
      'feedback.scoreSum': 5,
      'feedback.score.5': 1,
      'feedback.satisfied': 1,
      'nps.responses': 1,
      'nps.promoters': 1,
      'team.branch.feedback.responses': 1,
      'team.branch.feedback.scoreSum': 5,
      'team.branch.feedback.satisfied': 1,
    });
  });

  it('adds nothing for an internal note', () => {
    const { open } = openCase();
    const noted = staffActions.replyToCase(open, {
      at: minutes(5),
      actor: alice,
      message: 'x',
      internal: true,
    });
    expect(reportIncrements(open, noted.supportCase)).toEqual({});
  });
});

describe('duration histograms', () => {
  it.each([
    [0, 'firstResponse.le.5'],
    [5 * 60_000, 'firstResponse.le.5'],
    [5 * 60_000 + 1, 'firstResponse.le.10'],
    [31 * 86_400_000, 'firstResponse.over'],
  ])('puts %i ms in %s', (ms, bucket) => {
    expect(durationBucket('firstResponse', ms)).toBe(bucket);
  });

  it('reports the median as the upper bound of the bucket holding it', () => {
    const counters = { 'resolution.le.60': 2, 'resolution.le.120': 1, 'resolution.le.1440': 2 };
    expect(medianFromHistogram(counters, 'resolution')).toEqual({ atMostMinutes: 120, samples: 5 });
    expect(medianFromHistogram({}, 'resolution')).toBeNull();
    expect(medianFromHistogram({ 'resolution.over': 1 }, 'resolution')).toEqual({
      atMostMinutes: null,
      samples: 1,
    });
  });
});

describe('the summary of a range', () => {
  it('sums days and derives CSAT, NPS, complaint share and SLA compliance', () => {
    const monday = {
      'created.type.complaint': 3,
      'created.type.inquiry': 1,
      'created.category.complaint.service': 3,
      'feedback.responses': 2,
      'feedback.scoreSum': 9,
      'feedback.satisfied': 2,
      'nps.responses': 2,
      'nps.promoters': 1,
      'sla.firstResponse.met': 3,
    };
    const tuesday = {
      'created.type.complaint': 1,
      'feedback.responses': 1,
      'feedback.scoreSum': 2,
      'nps.responses': 1,
      'nps.detractors': 1,
      'sla.firstResponse.breached': 1,
    };
    const summary = summarizeCounters(sumCounters([monday, tuesday]));
    expect(summary.counts).toMatchObject({
      byType: { complaint: 4, inquiry: 1 },
      byCategory: { complaint: { service: 3 } },
      created: 5,
      complaintSharePercent: 80,
    });
    expect(summary.csat).toEqual({ responses: 3, average: 3.7, satisfiedPercent: 66.7 });
    expect(summary.nps).toEqual({ responses: 3, score: 0 });
    expect(summary.slaCompliance.firstResponse).toEqual({ met: 3, breached: 1, compliancePercent: 75 });
    expect(summary.slaCompliance.appeal).toEqual({ met: 0, breached: 0, compliancePercent: null });
  });

  it('has no NPS when nobody gave one', () => {
    expect(summarizeCounters({}).nps).toBeNull();
  });
});
