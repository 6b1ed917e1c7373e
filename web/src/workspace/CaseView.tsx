// One case as staff see it: facts, clocks as countdowns, contact details as the API returns them for the
// reader's role, compensation and its rule, feedback, the timeline with internal entries set apart, and
// the actions the reader's roles allow.
import { useEffect, useState } from 'preact/hooks';
import type { AgentCaseView } from '#events/agent-api';
import { beijingTime, countdown } from '../common/time.ts';
import { AttachmentList } from './AttachmentList.tsx';
import { CaseActions } from './CaseActions.tsx';
import { link } from './nav.ts';
import { useServerNow } from './server-time.ts';
import { type StaffPageProps, staffApi } from './staff-api.ts';
import { clockWords, staffErrorInWords, statusWords } from './words.ts';

export function CaseView(props: StaffPageProps & { caseId: string }) {
  const call = staffApi(props);
  const [view, setView] = useState<AgentCaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** With a reason, the contact details are asked for in clear (the reason goes on the audit trail). */
  const load = async (revealReason?: string) => {
    const reveal = revealReason ? `?reveal=contact&reason=${encodeURIComponent(revealReason)}` : '';
    try {
      setView(await call<AgentCaseView>('GET', `/agent/cases/${encodeURIComponent(props.caseId)}${reveal}`));
      setError(null);
    } catch (caught) {
      setError(staffErrorInWords(caught));
    }
  };
  useEffect(() => {
    setView(null);
    void load();
  }, [props.caseId]);

  return (
    <>
      <p>
        <a href="/workspace/" onClick={link('/workspace/')}>
          ← Queue
        </a>
      </p>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <p>Loading…</p>}
      {view && <CaseDetails {...props} view={view} reload={() => load()} reveal={load} />}
    </>
  );
}

function CaseDetails(
  props: StaffPageProps & {
    view: AgentCaseView;
    reload: () => Promise<void>;
    reveal: (reason: string) => Promise<void>;
  },
) {
  const { view } = props;
  const now = useServerNow();
  const { customer } = view;
  return (
    <>
      <h1>
        <span data-testid="case-id">{view.caseId}</span> · {view.subject}
      </h1>
      <p class="row">
        <span class="badge" data-testid="case-status">
          {statusWords[view.status] ?? view.status}
        </span>
        <span class="badge">{view.priority}</span>
        <span class="badge">{view.team}</span>
        {view.tier !== 'standard' && (
          <span class="badge" data-testid="case-tier">
            {view.tier} customer
          </span>
        )}
        {view.escalationLevel > 0 && (
          <span class="badge at-risk">escalation level {view.escalationLevel}</span>
        )}
      </p>
      <div class="grid">
        <div>
          <section class="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading">Case</h2>
            <dl class="facts">
              <dt>Type / category</dt>
              <dd>
                {view.type} / {view.category} ({view.categorySource})
              </dd>
              <dt>Owner</dt>
              <dd data-testid="owner">{view.owner ?? '—'}</dd>
              <dt>Handler</dt>
              <dd data-testid="handler">{view.handler ?? '—'}</dd>
              <dt>Channel</dt>
              <dd>{view.channel}</dd>
              {view.trackingNumber && (
                <>
                  <dt>Waybill</dt>
                  <dd>{view.trackingNumber}</dd>
                </>
              )}
              <dt>Created</dt>
              <dd>{beijingTime(view.createdAt, 'en')}</dd>
            </dl>
            <p style="white-space:pre-wrap">{view.description}</p>
          </section>

          <section class="card" aria-labelledby="clocks-heading">
            <h2 id="clocks-heading">Clocks</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Clock</th>
                  <th scope="col">State</th>
                  <th scope="col">Due</th>
                  <th scope="col">Countdown</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(view.clocks).map(([name, clock]) => {
                  const running = clock.state === 'running' || clock.state === 'paused';
                  const left = countdown(clock.dueAt, now);
                  const flag =
                    clock.state === 'breached' ? 'breached' : running && clock.atRisk ? 'at-risk' : '';
                  return (
                    <tr key={name} class={flag}>
                      <td>{clockWords[name] ?? name}</td>
                      <td>
                        {clock.state}
                        {flag === 'at-risk' && <span class="badge at-risk">At risk</span>}
                      </td>
                      <td>
                        {beijingTime(clock.dueAt, 'en')}{' '}
                        {clock.approximate && (
                          <span
                            class="badge provisional"
                            title="Counts working days of a calendar year whose official holiday notice is not loaded yet"
                          >
                            provisional
                          </span>
                        )}
                      </td>
                      <td>{running ? left.text : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>

          <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <ol class="timeline" data-testid="timeline">
              {[...view.timeline].reverse().map((entry) => (
                <li key={entry.entryId} class={entry.internal ? 'internal' : ''}>
                  <time dateTime={entry.at}>
                    {beijingTime(entry.at, 'en')} · {entry.actor}
                  </time>
                  <strong>{entry.kind}</strong>
                  {entry.channel && <span class="channel-tag">via {entry.channel}</span>}
                  {entry.internal && <span class="internal-tag">internal</span>}
                  <p style="margin:0.15rem 0 0;white-space:pre-wrap">{entry.message}</p>
                </li>
              ))}
            </ol>
          </section>
        </div>

        <div>
          <section class="card" aria-labelledby="customer-heading">
            <h2 id="customer-heading">Customer</h2>
            <dl class="facts">
              <dt>Name</dt>
              <dd>{customer.name}</dd>
              {customer.email && (
                <>
                  <dt>Email</dt>
                  <dd>{customer.email}</dd>
                </>
              )}
              {customer.phone && (
                <>
                  <dt>Phone</dt>
                  <dd>{customer.phone}</dd>
                </>
              )}
              <dt>Tier</dt>
              <dd>
                {customer.type}, {customer.tier}
              </dd>
              <dt>Language</dt>
              <dd>{customer.locale}</dd>
            </dl>
            {view.contactMasked && <p class="muted">Contact details are masked for you.</p>}
            {view.contactMasked && props.session.roles.some((role) => role !== 'auditor') && (
              <RevealContact reveal={props.reveal} />
            )}
          </section>

          <section class="card" aria-labelledby="outcome-heading">
            <h2 id="outcome-heading">Compensation and feedback</h2>
            <dl class="facts">
              <dt>Compensation</dt>
              <dd data-testid="compensation">
                {view.compensation
                  ? `${view.compensation.amount} ${view.compensation.currency} — ${view.compensation.rule}${
                      view.compensation.approvedBy ? ` (approved by ${view.compensation.approvedBy})` : ''
                    }`
                  : '—'}
              </dd>
              <dt>Feedback</dt>
              <dd data-testid="feedback">
                {view.feedback
                  ? `${view.feedback.score}/5${view.feedback.nps !== undefined ? `, NPS ${view.feedback.nps}` : ''}${
                      view.feedback.comment ? ` — “${view.feedback.comment}”` : ''
                    }`
                  : '—'}
              </dd>
              <dt>Appeals</dt>
              <dd>{view.appealCount}</dd>
            </dl>
          </section>

          <AttachmentList attachments={view.attachments ?? []} />

          <CaseActions {...props} />
        </div>
      </div>
    </>
  );
}

/** An agent of another team may see the details in clear by giving a reason, which the audit trail keeps. */
function RevealContact(props: { reveal: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void props.reveal(reason.trim());
      }}
    >
      <label for="reveal-reason">Reason to see them (kept on the audit trail)</label>
      <input
        id="reveal-reason"
        value={reason}
        minLength={3}
        maxLength={500}
        required
        onInput={(event) => setReason((event.target as HTMLInputElement).value)}
      />
      <button type="submit">Show contact details</button>
    </form>
  );
}
