// The report summary: counts, CSAT, NPS and medians of a range of days, with two charts: SLA compliance
// per clock, and CSAT day by day (one summary per day of the range, at most 14); targets beside the
// figures, and a table by team.
import { useEffect, useState } from 'preact/hooks';
import type { ReportSummaryResponse } from '#events/agent-api';
import { BarChart } from './BarChart.tsx';
import { useServerNow } from './server-time.ts';
import { type StaffPageProps, staffApi } from './staff-api.ts';
import { clockWords, staffErrorInWords } from './words.ts';

const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

export function Report(props: StaffPageProps) {
  const call = staffApi(props);
  const now = useServerNow();
  const [to, setTo] = useState(beijingDay(now));
  const [from, setFrom] = useState(beijingDay(now - 6 * 86_400_000));
  const [summary, setSummary] = useState<ReportSummaryResponse | null>(null);
  const [csatByDay, setCsatByDay] = useState<Array<{ label: string; value: number | null }>>([]);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    setError(null);
    try {
      setSummary(await call<ReportSummaryResponse>('GET', `/agent/reports/summary?from=${from}&to=${to}`));
      const days = daysBetween(from, to).slice(-14);
      const daily = await Promise.all(
        days.map((day) => call<ReportSummaryResponse>('GET', `/agent/reports/summary?from=${day}&to=${day}`)),
      );
      setCsatByDay(
        daily.map((report, index) => ({ label: days[index]!.slice(5), value: report.csat.average })),
      );
    } catch (caught) {
      setError(staffErrorInWords(caught));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="report-heading">
      <h1 id="report-heading">Report</h1>
      <form
        class="row filters"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <div>
          <label for="report-from">From (Beijing date)</label>
          <input id="report-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div>
          <label for="report-to">To</label>
          <input id="report-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div>
          <button type="submit" style="margin-top:1.6rem">
            Show
          </button>
        </div>
      </form>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      {summary && (
        <>
          <div class="stats" style="margin:1rem 0">
            <div>
              Cases created<strong>{summary.counts.created}</strong>
            </div>
            <div>
              CSAT average<strong>{summary.csat.average?.toFixed(2) ?? '—'}</strong>
              <span class="muted">{summary.csat.responses} responses</span>
            </div>
            <div>
              Satisfied<strong>{summary.csat.satisfiedPercent ?? '—'} %</strong>
              <span class="muted" data-testid="satisfied-target">
                target ≥ {summary.targets.satisfiedPercent.target} %
                {targetWords(summary.targets.satisfiedPercent.met)}
              </span>
            </div>
            <div>
              NPS<strong>{summary.nps?.score ?? '—'}</strong>
            </div>
            <div>
              Median first response
              <strong>
                {summary.medians.firstResponse?.atMostMinutes != null
                  ? `≤ ${summary.medians.firstResponse.atMostMinutes} min`
                  : '—'}
              </strong>
            </div>
            <div>
              Median resolution
              <strong>
                {summary.medians.resolution?.atMostMinutes != null
                  ? `≤ ${summary.medians.resolution.atMostMinutes} min`
                  : '—'}
              </strong>
            </div>
          </div>
          <div class="grid">
            <section class="card" aria-labelledby="sla-heading">
              <h2 id="sla-heading">SLA compliance per clock</h2>
              <BarChart
                title="SLA compliance per clock, percent met"
                max={100}
                unit="%"
                bars={Object.entries(summary.slaCompliance).map(([clock, result]) => ({
                  label: clockWords[clock] ?? clock,
                  value: result.compliancePercent,
                  note: `${result.met} met, ${result.breached} breached; target ${summary.targets.slaCompliance[clock as keyof typeof summary.targets.slaCompliance].target} %`,
                }))}
              />
            </section>
            <section class="card" aria-labelledby="csat-heading">
              <h2 id="csat-heading">CSAT over time</h2>
              <BarChart title="Average CSAT by day, 1 to 5" max={5} unit="" bars={csatByDay} />
            </section>
          </div>
          <TeamTable summary={summary} />
        </>
      )}
    </section>
  );
}

const targetWords = (met: boolean | null) => (met === null ? '' : met ? ' (met)' : ' (missed)');

/** Each team's figures beside the targets (DOMAIN.md §8). */
function TeamTable({ summary }: { summary: ReportSummaryResponse }) {
  const teams = Object.entries(summary.byTeam);
  if (teams.length === 0) return null;
  return (
    <section class="card" aria-labelledby="teams-heading" style="margin-top:1rem">
      <h2 id="teams-heading">By team</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Created</th>
            <th scope="col">Resolved</th>
            <th scope="col">Satisfied (target ≥ {summary.targets.satisfiedPercent.target} %)</th>
            <th scope="col">
              First response on time (target {summary.targets.slaCompliance.firstResponse.target} %)
            </th>
          </tr>
        </thead>
        <tbody>
          {teams.map(([team, figures]) => (
            <tr key={team}>
              <th scope="row">{team}</th>
              <td>{figures.created}</td>
              <td>{figures.resolved}</td>
              <td>
                {figures.csat.satisfiedPercent ?? '—'} %{targetWords(figures.targets.satisfiedPercent.met)}
              </td>
              <td>
                {figures.slaCompliance.firstResponse.compliancePercent ?? '—'} %
                {targetWords(figures.targets.slaCompliance.firstResponse.met)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
