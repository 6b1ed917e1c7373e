// Reports (DOMAIN.md §8) from counters kept per day, never from scanning cases. Each saved change of a case
// adds the increments its before/after difference implies to the counters of the day it happened (Beijing
// date); a report sums the days of its range.
//
// Counter names (flat, so DynamoDB can ADD to each):
//   created.type.<type> · created.category.<type>.<category> · created.channel.<channel> · created.team.<team>
//       a case was classified at intake (it entered `open`)
//   status.<status>        a case ENTERED that status that day. Transitions rather than a snapshot: they sum
//                          over any range, where "how many are open now" would not
//   result.compensated · result.no_compensation      each resolution, by whether it grants compensation
//   feedback.responses · feedback.scoreSum · feedback.satisfied · feedback.score.<1–5>
//   nps.responses · nps.promoters · nps.passives · nps.detractors
//   sla.<clock>.met · sla.<clock>.breached           each clock counted once, when it ends
//   firstResponse.le.<minutes> · firstResponse.over  histogram of the time to the first public answer
//   resolution.le.<minutes> · resolution.over        histogram of created → first resolution (wall clock)
//   team.<team>.<name>     the counters a team report needs (created.type.*, status.resolved, feedback
//                          responses, score sum and satisfied, sla.*), again under the case's team at the
//                          time. They ride on the same sharded day items, so a team adds attributes to the
//                          items every write already touches, never a partition of its own or a byte to the case
import { checkTarget, defaultReportTargets, type ReportTargets, type TargetCheck } from './report-targets.ts';
import type { ClockName } from './sla-policy.ts';
import type { SupportCase } from './support-case.ts';

export type ReportCounters = Record<string, number>;

/**
 * Upper bounds of the duration histograms, in minutes (5 min … 30 days). A median is reported as the upper
 * bound of the bucket that holds it, so its resolution is that bucket's width: 5–15 min below an hour,
 * 30 min–2 h below 6 h, 6–12 h below 2 days, 1–3 days beyond.
 */
export const durationBucketsMinutes = [
  5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 2160, 2880, 4320, 5760, 7200, 10080,
  14400, 20160, 43200,
] as const;

const clockNames: readonly ClockName[] = ['firstResponse', 'plan', 'resolution', 'appeal'];
const finished = new Set(['met', 'breached']);
const minuteMs = 60_000;

/** What one saved change of a case adds to its day's counters. */
export function reportIncrements(before: SupportCase, after: SupportCase): ReportCounters {
  const counters: ReportCounters = {};
  const add = (name: string, by = 1) => {
    counters[name] = (counters[name] ?? 0) + by;
  };

  if (before.status !== after.status) {
    add(`status.${after.status}`);
    if (before.status === 'received') {
      add(`created.type.${after.type}`);
      add(`created.category.${after.type}.${after.category}`);
      add(`created.channel.${after.channel}`);
      add(`created.team.${after.team}`);
    }
  }

  if (after.status === 'resolved' && after.resolvedAt && after.resolvedAt !== before.resolvedAt) {
    add(
      after.compensation && after.compensation.amount > 0 ? 'result.compensated' : 'result.no_compensation',
    );
    if (!before.resolvedAt) {
      add(durationBucket('resolution', Date.parse(after.resolvedAt) - Date.parse(after.createdAt)));
    }
  }

  for (const name of clockNames) {
    const clock = after.clocks[name];
    if (!clock) continue;
    const previous = before.clocks[name];
    const wasFinished =
      previous !== undefined && previous.startedAt === clock.startedAt && finished.has(previous.state);
    if (finished.has(clock.state) && !wasFinished) add(`sla.${name}.${clock.state}`);
    if (name === 'firstResponse' && clock.metAt && !previous?.metAt) {
      add(
        durationBucket(
          'firstResponse',
          Date.parse(clock.metAt) - Date.parse(clock.startedAt) - clock.pausedMs,
        ),
      );
    }
  }

  if (after.feedback && !before.feedback) {
    const { score, nps } = after.feedback;
    add('feedback.responses');
    add('feedback.scoreSum', score);
    add(`feedback.score.${score}`);
    if (score >= 4) add('feedback.satisfied');
    if (nps !== undefined) {
      add('nps.responses');
      add(nps >= 9 ? 'nps.promoters' : nps >= 7 ? 'nps.passives' : 'nps.detractors');
    }
  }
  for (const [name, value] of Object.entries(counters)) {
    if (isTeamScoped(name)) add(`team.${after.team}.${name}`, value);
  }
  return counters;
}

const teamScopedNames = new Set([
  'status.resolved',
  'feedback.responses',
  'feedback.scoreSum',
  'feedback.satisfied',
]);
const isTeamScoped = (name: string) =>
  teamScopedNames.has(name) || name.startsWith('created.type.') || name.startsWith('sla.');

export function durationBucket(histogram: 'firstResponse' | 'resolution', durationMs: number): string {
  const minutes = Math.max(0, durationMs) / minuteMs;
  const bound = durationBucketsMinutes.find((upper) => minutes <= upper);
  return bound === undefined ? `${histogram}.over` : `${histogram}.le.${bound}`;
}

/** Sums the per-day counters of a range (counter items may come in several shards per day). */
export function sumCounters(days: readonly ReportCounters[]): ReportCounters {
  const total: ReportCounters = {};
  for (const day of days) {
    for (const [name, value] of Object.entries(day)) total[name] = (total[name] ?? 0) + value;
  }
  return total;
}

export interface MedianEstimate {
  /** Upper bound of the bucket holding the median; null when it lies beyond the last bucket (30 days). */
  atMostMinutes: number | null;
  samples: number;
}

export function medianFromHistogram(
  counters: ReportCounters,
  histogram: 'firstResponse' | 'resolution',
): MedianEstimate | null {
  const buckets = durationBucketsMinutes.map((bound) => counters[`${histogram}.le.${bound}`] ?? 0);
  const over = counters[`${histogram}.over`] ?? 0;
  const samples = buckets.reduce((sum, count) => sum + count, over);
  if (samples === 0) return null;
  // The lower median: the ceil(n/2)-th smallest sample.
  const rank = Math.ceil(samples / 2);
  let seen = 0;
  for (const [index, count] of buckets.entries()) {
    seen += count;
    if (seen >= rank) return { atMostMinutes: durationBucketsMinutes[index]!, samples };
  }
  return { atMostMinutes: null, samples };
}

export interface ReportSummary {
  counts: {
    byType: Record<string, number>;
    /** By type, then category: categories such as `lost` or `other` mean different things per type. */
    byCategory: Record<string, Record<string, number>>;
    byChannel: Record<string, number>;
    byTeam: Record<string, number>;
    /** How many cases entered each status in the range. */
    byStatus: Record<string, number>;
    /** Resolutions in the range, by whether they granted compensation. */
    byResult: Record<string, number>;
    created: number;
    /** Share of complaints among the cases created, in % (000 §1.1.38). */
    complaintSharePercent: number | null;
  };
  csat: { responses: number; average: number | null; satisfiedPercent: number | null };
  nps: { responses: number; score: number } | null;
  medians: {
    firstResponse: MedianEstimate | null;
    resolution: MedianEstimate | null;
  };
  slaCompliance: Record<ClockName, { met: number; breached: number; compliancePercent: number | null }>;
}

export function summarizeCounters(counters: ReportCounters): ReportSummary {
  const group = (prefix: string) =>
    Object.fromEntries(
      Object.entries(counters)
        .filter(([name, value]) => name.startsWith(prefix) && value !== 0)
        .map(([name, value]) => [name.slice(prefix.length), value]),
    );
  const byCategory: Record<string, Record<string, number>> = {};
  for (const [key, value] of Object.entries(group('created.category.'))) {
    const [type = '', category = ''] = key.split('.');
    byCategory[type] = { ...byCategory[type], [category]: value };
  }
  const byType = group('created.type.');
  const created = Object.values(byType).reduce((sum, value) => sum + value, 0);
  const complaints = byType.complaint ?? 0;
  const responses = counters['feedback.responses'] ?? 0;
  const npsResponses = counters['nps.responses'] ?? 0;
  const percent = (part: number, whole: number) => (whole === 0 ? null : round1((part / whole) * 100));
  return {
    counts: {
      byType,
      byCategory,
      byChannel: group('created.channel.'),
      byTeam: group('created.team.'),
      byStatus: group('status.'),
      byResult: group('result.'),
      created,
      complaintSharePercent: percent(complaints, created),
    },
    csat: {
      responses,
      average: responses === 0 ? null : round1((counters['feedback.scoreSum'] ?? 0) / responses),
      satisfiedPercent: percent(counters['feedback.satisfied'] ?? 0, responses),
    },
    nps:
      npsResponses === 0
        ? null
        : {
            responses: npsResponses,
            score: round1(
              (((counters['nps.promoters'] ?? 0) - (counters['nps.detractors'] ?? 0)) / npsResponses) * 100,
            ),
          },
    medians: {
      firstResponse: medianFromHistogram(counters, 'firstResponse'),
      resolution: medianFromHistogram(counters, 'resolution'),
    },
    slaCompliance: Object.fromEntries(
      clockNames.map((name) => {
        const met = counters[`sla.${name}.met`] ?? 0;
        const breached = counters[`sla.${name}.breached`] ?? 0;
        return [name, { met, breached, compliancePercent: percent(met, met + breached) }];
      }),
    ) as ReportSummary['slaCompliance'],
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

// ---------------------------------------------------------------------------------------------------------
// Groups: by month (summed from its days) and by team (from the team.<team>.* counters), each with the
// targets beside its figures.

export interface TargetsView {
  satisfiedPercent: TargetCheck;
  slaCompliance: Record<ClockName, TargetCheck>;
}

export interface GroupReport {
  created: number;
  resolved: number;
  csat: ReportSummary['csat'];
  slaCompliance: ReportSummary['slaCompliance'];
  targets: TargetsView;
}

export function targetsBeside(
  summary: Pick<ReportSummary, 'csat' | 'slaCompliance'>,
  targets: ReportTargets = defaultReportTargets,
): TargetsView {
  return {
    satisfiedPercent: checkTarget(targets.satisfiedPercent, summary.csat.satisfiedPercent),
    slaCompliance: Object.fromEntries(
      clockNames.map((name) => [
        name,
        checkTarget(targets.slaCompliancePercent[name], summary.slaCompliance[name].compliancePercent),
      ]),
    ) as Record<ClockName, TargetCheck>,
  };
}

export function groupReport(
  counters: ReportCounters,
  targets: ReportTargets = defaultReportTargets,
): GroupReport {
  const summary = summarizeCounters(counters);
  return {
    created: summary.counts.created,
    resolved: counters['status.resolved'] ?? 0,
    csat: summary.csat,
    slaCompliance: summary.slaCompliance,
    targets: targetsBeside(summary, targets),
  };
}

/** Days (YYYY-MM-DD, Beijing) summed into their months, in order. */
export function countersByMonth(
  perDay: readonly { day: string; counters: ReportCounters }[],
): Array<{ month: string; counters: ReportCounters }> {
  const months = new Map<string, ReportCounters[]>();
  for (const { day, counters } of perDay) {
    const month = day.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), counters]);
  }
  return [...months].map(([month, days]) => ({ month, counters: sumCounters(days) }));
}

/** Each team's counters, read back from the team.<team>.* names; teams with nothing counted are absent. */
export function countersByTeam(counters: ReportCounters): Record<string, ReportCounters> {
  const teams: Record<string, ReportCounters> = {};
  for (const [name, value] of Object.entries(counters)) {
    const match = /^team\.([^.]+)\.(.+)$/.exec(name);
    if (!match || value === 0) continue;
    const [, team = '', counter = ''] = match;
    teams[team] = { ...teams[team], [counter]: value };
  }
  return teams;
}
