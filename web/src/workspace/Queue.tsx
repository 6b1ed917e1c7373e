// The queue, most urgent first (the API's order), with filters by status, team and breached. Each row
// counts down to its nearest deadline; at-risk and breached rows stand out.
import { useEffect, useState } from 'preact/hooks';
import { caseStatuses, teams } from '#domain/case-model';
import type { CaseSummary } from '#events/agent-api';
import { countdown } from '../common/time.ts';
import { link } from './nav.ts';
import { type Filters, queueQuery } from './requests.ts';
import { useServerNow } from './server-time.ts';
import { type StaffPageProps, staffApi } from './staff-api.ts';
import { staffErrorInWords, statusWords } from './words.ts';

export function Queue(props: StaffPageProps) {
  const call = staffApi(props);
  const now = useServerNow();
  const [filters, setFilters] = useState<Filters>({ status: '', team: '', breached: false });
  const [rows, setRows] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const load = async (more: boolean) => {
    setError(null);
    try {
      const page = await call<{ cases: CaseSummary[]; nextCursor?: string }>(
        'GET',
        queueQuery(filters, more ? cursor : undefined),
      );
      setRows(more ? [...(rows ?? []), ...page.cases] : page.cases);
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(staffErrorInWords(caught));
    }
  };
  useEffect(() => {
    void load(false);
  }, [filters]);

  return (
    <section aria-labelledby="queue-heading">
      <div class="row spread">
        <h1 id="queue-heading">Queue</h1>
        <button type="button" class="secondary" onClick={() => void load(false)}>
          Refresh
        </button>
      </div>
      <form class="row filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <div>
          <label for="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value })}
          >
            <option value="">Any open status</option>
            {caseStatuses.map((status) => (
              <option key={status} value={status}>
                {statusWords[status]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-team">Team</label>
          <select
            id="filter-team"
            value={filters.team}
            onChange={(e) => setFilters({ ...filters, team: e.currentTarget.value })}
          >
            <option value="">Every team</option>
            {teams.map((team) => (
              <option key={team} value={team}>
                {team}
              </option>
            ))}
          </select>
        </div>
        <div class="check">
          <input
            id="filter-breached"
            type="checkbox"
            checked={filters.breached}
            onChange={(e) => setFilters({ ...filters, breached: e.currentTarget.checked })}
          />
          <label for="filter-breached">Breached only</label>
        </div>
      </form>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      {rows === null && !error && <p>Loading…</p>}
      {rows && rows.length === 0 && <p>No cases match.</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap">
          <table class="queue">
            <caption class="visually-hidden">Cases, most urgent first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Subject</th>
                <th scope="col">Priority</th>
                <th scope="col">Status</th>
                <th scope="col">Team</th>
                <th scope="col">Handler</th>
                <th scope="col">Next deadline</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const due = row.nearestDueAt ? countdown(row.nearestDueAt, now) : null;
                const flag = row.breached ? 'breached' : row.atRisk ? 'at-risk' : '';
                return (
                  <tr key={row.caseId} class={flag} data-case-id={row.caseId}>
                    <td>
                      <a
                        href={`/workspace/cases/${row.caseId}`}
                        onClick={link(`/workspace/cases/${row.caseId}`)}
                      >
                        {row.caseId}
                      </a>
                    </td>
                    <td>{row.subject}</td>
                    <td>{row.priority}</td>
                    <td>{statusWords[row.status] ?? row.status}</td>
                    <td>{row.team}</td>
                    <td>{row.handler ?? '—'}</td>
                    <td>
                      {due ? due.text : '—'} {row.breached && <span class="badge breached">Breached</span>}
                      {!row.breached && row.atRisk && <span class="badge at-risk">At risk</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <p>
          <button type="button" class="secondary" onClick={() => void load(true)}>
            More cases
          </button>
        </p>
      )}
    </section>
  );
}
