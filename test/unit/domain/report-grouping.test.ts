import { describe, expect, it } from 'vitest';
import {
  countersByMonth,
  countersByTeam,
  groupReport,
  type ReportCounters,
  targetsBeside,
} from '#domain/case-report';
import { checkTarget, defaultReportTargets } from '#domain/report-targets';

// Two teams over three days that straddle a month's end (DOMAIN.md §8: by day, month and team).
const days: Array<{ day: string; counters: ReportCounters }> = [
  {
    day: '2026-03-30',
    counters: {
      'created.type.complaint': 2,
      'team.branch.created.type.complaint': 2,
      'feedback.responses': 10,
      'feedback.satisfied': 9,
      'team.branch.feedback.responses': 10,
      'team.branch.feedback.satisfied': 9,
      'sla.firstResponse.met': 19,
      'sla.firstResponse.breached': 1,
      'team.branch.sla.firstResponse.met': 19,
      'team.branch.sla.firstResponse.breached': 1,
    },
  },
  {
    day: '2026-03-31',
    counters: {
      'created.type.exception': 1,
      'team.operations.created.type.exception': 1,
      'status.resolved': 1,
      'team.operations.status.resolved': 1,
    },
  },
  {
    day: '2026-04-01',
    counters: {
      'feedback.responses': 4,
      'feedback.satisfied': 3,
      'team.operations.feedback.responses': 4,
      'team.operations.feedback.satisfied': 3,
      'sla.resolution.breached': 1,
      'team.operations.sla.resolution.breached': 1,
    },
  },
];

describe('report groups', () => {
  it('sums the days of each month, in order', () => {
    const months = countersByMonth(days);
    expect(months.map((month) => month.month)).toEqual(['2026-03', '2026-04']);
    expect(groupReport(months[0]!.counters)).toMatchObject({
      created: 3,
      resolved: 1,
      csat: { responses: 10, satisfiedPercent: 90 },
      slaCompliance: { firstResponse: { met: 19, breached: 1, compliancePercent: 95 } },
    });
    expect(groupReport(months[1]!.counters).csat.satisfiedPercent).toBe(75);
  });

  it('reads each team back from its own counters, and leaves out teams with none', () => {
    const total = countersByMonth(days.map((day) => ({ ...day, day: '2026-03-01' })))[0]!.counters;
    const teams = countersByTeam(total);
    expect(Object.keys(teams).sort()).toEqual(['branch', 'operations']);
    expect(groupReport(teams.branch!)).toMatchObject({
      created: 2,
      resolved: 0,
      csat: { satisfiedPercent: 90 },
    });
    expect(groupReport(teams.operations!)).toMatchObject({
      created: 1,
      resolved: 1,
      csat: { responses: 4, satisfiedPercent: 75 },
      slaCompliance: { resolution: { met: 0, breached: 1, compliancePercent: 0 } },
    });
  });
});

describe('targets beside the figures', () => {
  it('holds satisfaction to 90 % (000 §1.1.2) and each clock to its compliance goal', () => {
    expect(defaultReportTargets.satisfiedPercent).toBe(90);
    const march = groupReport(countersByMonth(days)[0]!.counters);
    expect(march.targets.satisfiedPercent).toEqual({ target: 90, actual: 90, met: true });
    expect(march.targets.slaCompliance.firstResponse).toEqual({ target: 95, actual: 95, met: true });
    const april = groupReport(countersByMonth(days)[1]!.counters);
    expect(april.targets.satisfiedPercent).toEqual({ target: 90, actual: 75, met: false });
    expect(april.targets.slaCompliance.resolution).toEqual({ target: 95, actual: 0, met: false });
  });

  it('says nothing was measured rather than a target missed', () => {
    expect(april().targets.slaCompliance.plan).toEqual({ target: 95, actual: null, met: null });
    expect(checkTarget(90, null)).toEqual({ target: 90, actual: null, met: null });
  });

  it("follows an operator's own targets", () => {
    const strict = {
      satisfiedPercent: 95,
      slaCompliancePercent: { ...defaultReportTargets.slaCompliancePercent },
    };
    const summary = groupReport(countersByMonth(days)[0]!.counters);
    expect(targetsBeside(summary, strict).satisfiedPercent).toEqual({ target: 95, actual: 90, met: false });
  });
});

function april() {
  return groupReport(countersByMonth(days)[1]!.counters);
}
