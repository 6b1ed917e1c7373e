// What staff can do to a case, each action offered only to the roles that may do it
// (shared/domain/staff-permissions.ts, the same table the API enforces).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { categoriesByType, teams } from '#domain/case-model';
import { mayDo, type StaffAction } from '#domain/staff-permissions';
import type { AgentCaseView } from '#events/agent-api';
import { type CompensationMode, compensationBody } from './requests.ts';
import { type StaffPageProps, staffApi } from './staff-api.ts';
import { staffErrorInWords } from './words.ts';

type Props = StaffPageProps & { view: AgentCaseView; reload: () => Promise<void> };

/** One action: a titled form that posts its body and reloads the case. */
function ActionForm(props: {
  id: string;
  title: string;
  submit: string;
  open?: boolean;
  send: () => Promise<unknown>;
  children?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <details open={props.open} data-action={props.id}>
      <summary>{props.title}</summary>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          setDone(false);
          try {
            await props.send();
            setDone(true);
          } catch (caught) {
            setError(staffErrorInWords(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.children}
        <p>
          <button type="submit" disabled={busy}>
            {props.submit}
          </button>
        </p>
        <div aria-live="polite">
          {error && (
            <p class="alert" role="alert">
              {error}
            </p>
          )}
          {done && <p class="notice">Done.</p>}
        </div>
      </form>
    </details>
  );
}

function CompensationFields(props: {
  prefix: string;
  mode: CompensationMode;
  setMode: (mode: CompensationMode) => void;
  amount: string;
  setAmount: (amount: string) => void;
  daysLate: string;
  setDaysLate: (days: string) => void;
}) {
  const { prefix, mode } = props;
  return (
    <>
      <label for={`${prefix}-mode`}>Compensation</label>
      <select
        id={`${prefix}-mode`}
        value={mode}
        onChange={(e) => props.setMode(e.currentTarget.value as CompensationMode)}
      >
        <option value="none">None</option>
        <option value="amount">Agreed amount</option>
        <option value="lost">By policy: lost</option>
        <option value="damaged_packaging">By policy: packaging damaged</option>
        <option value="damaged_contents">By policy: contents damaged</option>
        <option value="delayed">By policy: delayed</option>
      </select>
      {mode !== 'none' && mode !== 'delayed' && (
        <>
          <label for={`${prefix}-amount`}>
            {mode === 'amount' ? 'Amount (CNY)' : 'Assessed loss (CNY, optional)'}
          </label>
          <input
            id={`${prefix}-amount`}
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            required={mode === 'amount'}
            value={props.amount}
            onInput={(e) => props.setAmount(e.currentTarget.value)}
          />
        </>
      )}
      {mode === 'delayed' && (
        <>
          <label for={`${prefix}-days`}>Days late (optional)</label>
          <input
            id={`${prefix}-days`}
            type="number"
            min="0"
            max="365"
            value={props.daysLate}
            onInput={(e) => props.setDaysLate(e.currentTarget.value)}
          />
        </>
      )}
      <p class="muted">The carrier's policy prices a situation; the rule it used is shown on the case.</p>
    </>
  );
}

function useCompensation(prefix: string) {
  const [mode, setMode] = useState<CompensationMode>('none');
  const [amount, setAmount] = useState('');
  const [daysLate, setDaysLate] = useState('');
  return {
    body: () => compensationBody(mode, amount, daysLate),
    fields: (
      <CompensationFields
        prefix={prefix}
        mode={mode}
        setMode={setMode}
        amount={amount}
        setAmount={setAmount}
        daysLate={daysLate}
        setDaysLate={setDaysLate}
      />
    ),
  };
}

export function CaseActions(props: Props) {
  const { view, session } = props;
  const call = staffApi(props);
  const may = (action: StaffAction) => mayDo(session, action);
  const post = (action: string, body: unknown) => async () => {
    await call('POST', `/agent/cases/${view.caseId}/${action}`, body);
    await props.reload();
  };
  const [assignee, setAssignee] = useState('');
  const [team, setTeam] = useState('');
  const [reply, setReply] = useState('');
  const [internal, setInternal] = useState(false);
  const [plan, setPlan] = useState('');
  const planCompensation = useCompensation('plan');
  const [status, setStatus] = useState<'awaiting_customer' | 'in_progress'>('awaiting_customer');
  const [statusReason, setStatusReason] = useState('');
  const [escalation, setEscalation] = useState('');
  const [category, setCategory] = useState(view.category);
  const [resolution, setResolution] = useState('');
  const resolveCompensation = useCompensation('resolve');

  const finished = view.status === 'closed';
  const anything = [
    'assign',
    'reply',
    'plan',
    'change_status',
    'escalate',
    'correct_category',
    'resolve',
    'close',
  ].some((action) => may(action as StaffAction));
  if (!anything) {
    return (
      <section class="card">
        <h2>Actions</h2>
        <p>Your role reads cases only.</p>
      </section>
    );
  }
  if (finished) {
    return (
      <section class="card">
        <h2>Actions</h2>
        <p>The case is closed.</p>
      </section>
    );
  }
  return (
    <section class="card actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {may('assign') && (
        <ActionForm
          id="assign"
          title="Assign"
          submit={assignee.trim() ? 'Hand over' : 'Take it'}
          send={post('assign', {
            ...(assignee.trim() ? { assignee: assignee.trim() } : {}),
            ...(team ? { team } : {}),
          })}
        >
          <label for="assignee">Hand over to (empty: take it yourself)</label>
          <input id="assignee" value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} />
          <label for="assign-team">Team</label>
          <select id="assign-team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
            <option value="">Keep {view.team}</option>
            {teams.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </ActionForm>
      )}
      {may('reply') && (
        <ActionForm
          id="reply"
          title="Reply or note"
          submit={internal ? 'Add note' : 'Send reply'}
          open
          send={async () => {
            await post('reply', { message: reply, internal })();
            setReply('');
          }}
        >
          <label for="reply-message">Message</label>
          <textarea
            id="reply-message"
            required
            value={reply}
            onInput={(e) => setReply(e.currentTarget.value)}
          />
          <div class="row">
            <input
              id="reply-internal"
              type="checkbox"
              style="width:auto"
              checked={internal}
              onChange={(e) => setInternal(e.currentTarget.checked)}
            />
            <label for="reply-internal" style="margin:0">
              Internal note (the customer does not see it)
            </label>
          </div>
        </ActionForm>
      )}
      {may('plan') && (
        <ActionForm
          id="plan"
          title="Plan"
          submit="Record plan"
          send={post('plan', { message: plan, ...planCompensation.body() })}
        >
          <label for="plan-message">Handling plan</label>
          <textarea id="plan-message" required value={plan} onInput={(e) => setPlan(e.currentTarget.value)} />
          {planCompensation.fields}
        </ActionForm>
      )}
      {may('change_status') && (
        <ActionForm
          id="status"
          title="Status"
          submit="Set status"
          send={post('status', { status, ...(statusReason.trim() ? { reason: statusReason.trim() } : {}) })}
        >
          <label for="status-value">New status</label>
          <select
            id="status-value"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as typeof status)}
          >
            <option value="awaiting_customer">Awaiting customer (pauses plan and resolution)</option>
            <option value="in_progress">In progress</option>
          </select>
          <label for="status-reason">Reason (optional)</label>
          <input
            id="status-reason"
            value={statusReason}
            onInput={(e) => setStatusReason(e.currentTarget.value)}
          />
        </ActionForm>
      )}
      {may('escalate') && (
        <ActionForm
          id="escalate"
          title="Escalate"
          submit="Escalate"
          send={post('escalate', { reason: escalation })}
        >
          <label for="escalate-reason">Reason</label>
          <input
            id="escalate-reason"
            required
            value={escalation}
            onInput={(e) => setEscalation(e.currentTarget.value)}
          />
        </ActionForm>
      )}
      {may('correct_category') && (
        <ActionForm
          id="category"
          title="Category"
          submit="Correct category"
          send={post('category', { category })}
        >
          <label for="category-value">Category of this {view.type}</label>
          <select id="category-value" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            {categoriesByType[view.type].map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </ActionForm>
      )}
      {may('resolve') && view.status !== 'resolved' && (
        <ActionForm
          id="resolve"
          title="Resolve"
          submit="Resolve"
          send={post('resolve', { resolution, ...resolveCompensation.body() })}
        >
          <label for="resolve-message">Resolution (sent to the customer)</label>
          <textarea
            id="resolve-message"
            required
            value={resolution}
            onInput={(e) => setResolution(e.currentTarget.value)}
          />
          {resolveCompensation.fields}
          {!may('approve_compensation') && (
            <p class="muted">Compensation above 500 CNY needs a supervisor.</p>
          )}
        </ActionForm>
      )}
      {may('close') && view.status === 'resolved' && (
        <ActionForm id="close" title="Close" submit="Close case" send={post('close', undefined)} />
      )}
    </section>
  );
}
